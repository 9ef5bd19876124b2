//! `clerk.interstitial(..)`: the HTML page Clerk's SDKs serve when a request's
//! authentication state cannot be decided on the server ([`GetInterstitial`]).

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::params::option_setters;
use crate::query::Query;

impl Clerk {
    /// The interstitial page's HTML for an instance (`GET /public/interstitial`, which
    /// needs no secret key; this client sends its own anyway). Give the publishable key
    /// or the Frontend API host.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::GetInterstitial;
    /// let html = clerk
    ///     .interstitial(GetInterstitial::new().publishable_key("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"))
    ///     .await?;
    /// assert!(html.contains("clerk.browser.js"));
    /// # Ok(()) }
    /// ```
    pub async fn interstitial(&self, params: GetInterstitial) -> Result<String> {
        let request = ApiRequest::get(&["public", "interstitial"])?.query(params.to_query());
        self.send_text(request).await
    }
}

/// The query of [`Clerk::interstitial`]: which instance, and how its clerk.js is reached.
///
/// ```
/// use clerk_sdk::GetInterstitial;
/// let params = GetInterstitial::new()
///     .publishable_key("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k")
///     .proxy_url("https://app.example/__clerk");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct GetInterstitial {
    frontend_api: Option<String>,
    publishable_key: Option<String>,
    proxy_url: Option<String>,
    domain: Option<String>,
    sign_in_url: Option<String>,
    use_domain_for_script: Option<bool>,
}

impl GetInterstitial {
    /// No parameters yet (the API needs the publishable key or the Frontend API).
    ///
    /// ```
    /// let params = clerk_sdk::GetInterstitial::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "GetInterstitial::new()";
        /// The Frontend API host of the instance (`clerk.example.com`).
        frontend_api: String,
        /// The publishable key of the instance.
        publishable_key: String,
        /// The proxy URL of the instance's Frontend API.
        proxy_url: String,
        /// The (satellite) domain of the instance.
        domain: String,
        /// The sign-in URL of the instance.
        sign_in_url: String,
        /// Load clerk.js from the domain's Frontend API.
        use_domain_for_script: bool,
    }

    fn to_query(&self) -> Query {
        let mut query = Query::new();
        query
            .push_opt("frontend_api", self.frontend_api.as_ref())
            .push_opt("publishable_key", self.publishable_key.as_ref())
            .push_opt("proxy_url", self.proxy_url.as_ref())
            .push_opt("domain", self.domain.as_ref())
            .push_opt("sign_in_url", self.sign_in_url.as_ref())
            .push_opt("use_domain_for_script", self.use_domain_for_script);
        query
    }
}
