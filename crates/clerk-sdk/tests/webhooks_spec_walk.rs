//! The webhooks spec walk: every event type of Clerk's webhooks spec (2025-04-15) has a
//! typed variant, every payload example of the spec reads into [`Event`] with the variant of
//! its type, and so does every sample generated from each event's payload schema (every field
//! set, required fields only, nullable fields null, each enum value and `oneOf` branch, and a
//! drift sample with unknown enum values and an extra field everywhere). Reading is not
//! enough: each event is written back and must still hold every key and value it was read
//! from.
//!
//! The spec is read from the workspace's `spec/` folder, or from `$CLERK_SPEC_DIR`.

use std::collections::BTreeSet;

use clerk_sdk::webhooks::{EVENT_TYPES, Event, EventData};
use openapi_kit::{SampleKind, Spec};
use serde_json::Value;

const SPEC: &str = "webhooks-2025-04-15.json";

fn webhooks(spec: &Spec) -> Vec<(&str, &Value)> {
    let hooks = spec.document()["x-webhooks"]
        .as_object()
        .expect("x-webhooks");
    hooks
        .iter()
        .map(|(event_type, item)| {
            let content = &item["post"]["requestBody"]["content"]["application/json"];
            (event_type.as_str(), content)
        })
        .collect()
}

/// The spec's examples for one event: `example`, or each of `examples` (maybe `$ref`s).
fn examples<'a>(spec: &'a Spec, content: &'a Value) -> Vec<&'a Value> {
    if let Some(example) = content.get("example") {
        return vec![example];
    }
    content["examples"]
        .as_object()
        .map(|all| {
            all.values()
                .map(|example| &spec.resolve(example)["value"])
                .collect()
        })
        .unwrap_or_default()
}

/// Reads `sent` as an [`Event`] of `event_type`, then checks nothing was lost on the way back.
fn check(event_type: &str, sent: &Value) -> Result<(), String> {
    let body = serde_json::to_vec(sent).unwrap();
    let event = Event::from_slice(&body).map_err(|e| e.to_string())?;
    if event.event_type != event_type {
        return Err(format!("read as type {}", event.event_type));
    }
    if event.data.event_type() != Some(event_type) {
        return Err(format!("data read as {:?}", variant_name(&event.data)));
    }
    let written = serde_json::to_value(&event).map_err(|e| e.to_string())?;
    keeps_everything(sent, &written, "$")
}

fn variant_name(data: &EventData) -> String {
    format!("{data:?}")
        .split('(')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Every key and value of `sent` is in `kept` (which may have more: absent optional fields
/// written as null).
fn keeps_everything(sent: &Value, kept: &Value, path: &str) -> Result<(), String> {
    match (sent, kept) {
        (Value::Object(sent), Value::Object(kept)) => {
            sent.iter()
                .try_for_each(|(key, value)| match kept.get(key) {
                    Some(found) => keeps_everything(value, found, &format!("{path}.{key}")),
                    None => Err(format!("{path}.{key} was lost")),
                })
        }
        (Value::Array(sent), Value::Array(kept)) if sent.len() == kept.len() => sent
            .iter()
            .zip(kept)
            .enumerate()
            .try_for_each(|(index, (a, b))| keeps_everything(a, b, &format!("{path}[{index}]"))),
        (sent, kept) if sent == kept => Ok(()),
        (sent, kept) => Err(format!("{path} was {sent} and came back as {kept}")),
    }
}

#[test]
fn every_event_type_of_the_spec_has_a_variant_and_no_other() {
    let spec = openapi_kit::load_spec(SPEC);
    let in_spec: BTreeSet<&str> = webhooks(&spec).into_iter().map(|(t, _)| t).collect();
    let in_sdk: BTreeSet<&str> = EVENT_TYPES.iter().copied().collect();
    assert_eq!(in_spec, in_sdk);
    assert_eq!(in_sdk.len(), 45);
}

#[test]
fn every_payload_example_of_the_spec_reads_into_its_event_variant() {
    let spec = openapi_kit::load_spec(SPEC);
    let mut checked = 0;
    let mut failures = Vec::new();
    for (event_type, content) in webhooks(&spec) {
        let examples = examples(&spec, content);
        assert!(!examples.is_empty(), "no example for {event_type}");
        for example in examples {
            checked += 1;
            if let Err(error) = check(event_type, example) {
                failures.push(format!("{event_type} example: {error}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(checked >= 45, "only {checked} examples");
}

#[test]
fn every_sample_of_every_payload_schema_reads_into_its_event_variant() {
    let spec = openapi_kit::load_spec(SPEC);
    let mut checked = 0;
    let mut drift = 0;
    let mut failures = Vec::new();
    for (event_type, content) in webhooks(&spec) {
        for sample in spec.samples(&content["schema"]) {
            let mut value = sample.value;
            // The schema types `type` as any string; a delivery carries its own.
            value["type"] = Value::from(event_type);
            checked += 1;
            drift += usize::from(sample.kind == SampleKind::Drift);
            if let Err(error) = check(event_type, &value) {
                failures.push(format!(
                    "{event_type} [{:?}]: {error}\n    sample: {value}",
                    sample.kind
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 45 * 4, "only {checked} samples");
    assert!(drift >= 45, "only {drift} drift samples");
}

#[test]
fn an_unknown_event_type_keeps_its_data() {
    let sent = serde_json::json!({
        "object": "event", "type": "user.teleported", "timestamp": 1_767_225_600_123_i64,
        "instance_id": "ins_1", "data": {"id": "user_1", "to": "mars"},
        "event_attributes": {"http_request": {"client_ip": "192.0.2.1", "user_agent": "x"}},
        "added_later": [1, 2],
    });
    let event = Event::from_slice(sent.to_string().as_bytes()).unwrap();
    assert!(matches!(&event.data, EventData::Other(data) if data["to"] == "mars"));
    assert_eq!(event.extra["added_later"], serde_json::json!([1, 2]));
    keeps_everything(&sent, &serde_json::to_value(&event).unwrap(), "$").unwrap();
}
