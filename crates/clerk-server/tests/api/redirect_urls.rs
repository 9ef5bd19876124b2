//! Redirect URLs.

use serde_json::json;

use crate::common::{Api, each_backend};

#[tokio::test]
async fn list_create_get_delete() {
    each_backend(async |api: &mut Api| {
        let created = api
            .post(
                "/v1/redirect_urls",
                json!({"url": "https://my-app.com/oauth-callback"}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(created["object"], "redirect_url");
        assert!(created["id"].as_str().unwrap().starts_with("ru_"));
        assert_eq!(created["url"], "https://my-app.com/oauth-callback");
        assert!(created["created_at"].is_i64() && created["updated_at"].is_i64());
        let id = created["id"].as_str().unwrap().to_owned();
        for url in ["my-app://oauth-callback", "http://localhost:3000/cb"] {
            assert_eq!(
                api.post("/v1/redirect_urls", json!({"url": url}))
                    .await
                    .ok()["url"],
                url
            );
        }
        api.post(
            "/v1/redirect_urls",
            json!({"url": "https://my-app.com/oauth-callback"}),
        )
        .await
        .err(400, "duplicate_record");
        for bad in ["not a url", "javascript://alert(1)", "/relative"] {
            let resp = api.post("/v1/redirect_urls", json!({"url": bad})).await;
            resp.err(422, "form_param_format_invalid");
            assert_eq!(resp.param(), "url");
        }
        api.post("/v1/redirect_urls", json!({}))
            .await
            .err(422, "form_param_missing");

        let list = api.get("/v1/redirect_urls").await;
        assert!(list.ok().is_array(), "a bare array by default");
        assert_eq!(list.ids().len(), 3);
        assert_eq!(list.ids()[2], id, "newest first");
        let page = api
            .get("/v1/redirect_urls?paginated=true&limit=1&offset=1")
            .await;
        assert_eq!(page.ok()["total_count"], 3);
        assert_eq!(page.ids().len(), 1);

        let path = format!("/v1/redirect_urls/{id}");
        assert_eq!(api.get(&path).await.ok(), &created);
        assert_eq!(
            api.delete(&path).await.ok(),
            &json!({"object": "redirect_url", "id": id, "deleted": true})
        );
        for gone in [api.get(&path).await, api.delete(&path).await] {
            let error = gone.err(404, "resource_not_found");
            assert_eq!(
                error["long_message"],
                format!("No redirect url was found with id {id}")
            );
        }
    })
    .await;
}
