//! Pages of list results, and streams that walk every page lazily.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use serde::de::{
    self, Deserialize, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::query::Query;

/// How many items a stream asks for per page when the caller set no `limit`.
pub const STREAM_PAGE_SIZE: u32 = 100;

/// A stream of every item of a list, page after page. Page `k + 1` is
/// requested only when the items of page `k` have been consumed; dropping the
/// stream stops it. After an error the stream ends.
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// use futures_util::TryStreamExt;
/// use clerk_sdk::ListUsers;
///
/// let mut users = clerk.users().stream(ListUsers::new().limit(200));
/// while let Some(user) = users.try_next().await? {
///     println!("{:?}", user.id);
/// }
/// # Ok(()) }
/// ```
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send + 'static>>;

/// One page of a list.
///
/// `total_count` is the number of items matching the query across all pages,
/// when the API reports it: sessions, clients and allowlist identifiers are
/// requested with `paginated=true` so it always is; for users it costs a
/// second request and is filled by
/// [`Users::list_with_total`](crate::resources::Users::list_with_total) only.
///
/// Reads both shapes the API uses: a bare JSON array, and the
/// `{"data": [...], "total_count": N}` envelope.
///
/// ```
/// let page: clerk_sdk::Page<i32> = serde_json::from_str(r#"{"data":[1,2],"total_count":7}"#)?;
/// assert_eq!(page.data, [1, 2]);
/// assert_eq!(page.total_count, Some(7));
/// let bare: clerk_sdk::Page<i32> = serde_json::from_str("[3]")?;
/// assert_eq!(bare.total_count, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// The total matching the query, when known.
    pub total_count: Option<i64>,
}

impl<T> Page<T> {
    /// A page of these items (the struct is `#[non_exhaustive]`, so this is how
    /// code outside the SDK builds one, e.g. a fake answer in a test).
    ///
    /// ```
    /// let page = clerk_sdk::Page::new(vec!["user_1", "user_2"], Some(7));
    /// assert_eq!(page.data, ["user_1", "user_2"]);
    /// assert_eq!(page.total_count, Some(7));
    /// ```
    pub fn new(data: Vec<T>, total_count: Option<i64>) -> Self {
        Self { data, total_count }
    }

    /// The number of items on this page.
    ///
    /// ```
    /// let page = clerk_sdk::Page::new(vec![1, 2, 3], None);
    /// assert_eq!(page.len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether this page has no items.
    ///
    /// ```
    /// let page = clerk_sdk::Page::<u8>::new(vec![], Some(0));
    /// assert!(page.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The items by reference.
    ///
    /// ```
    /// let page = clerk_sdk::Page::new(vec![1, 2], None);
    /// assert_eq!(page.iter().sum::<i32>(), 3);
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.data.iter()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.data.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.data.iter()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PageVisitor(PhantomData))
    }
}

struct PageVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array or an object with `data` and `total_count`")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut data = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(500));
        while let Some(item) = seq.next_element()? {
            data.push(item);
        }
        Ok(Page {
            data,
            total_count: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut data = None;
        let mut total_count = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "data" => data = Some(map.next_value()?),
                "total_count" => total_count = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let data = data.ok_or_else(|| de::Error::missing_field("data"))?;
        Ok(Page { data, total_count })
    }
}

/// `limit` and `offset` of a list that pages by offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Paging {
    pub(crate) limit: Option<u32>,
    pub(crate) offset: Option<u64>,
}

/// The parameters of a list the API pages by offset and answers as
/// `{"data": [...], "total_count": N}`: sessions, clients and allowlist identifiers
/// (when asked with `paginated=true`), and the organization lists (always). One page
/// is [`Clerk::list_paginated`], every page [`Clerk::stream_paginated`].
pub(crate) trait PaginatedList: Clone + Send + 'static {
    /// What the list holds.
    type Item: DeserializeOwned + Send + 'static;
    /// Whether the list sends its total only when asked with `paginated=true`.
    /// The organization lists always send it, and Clerk's own clients do not
    /// send the flag to them, so neither do we.
    const ASK_FOR_TOTAL: bool = true;
    /// The `limit` and `offset` set.
    fn paging(&self) -> Paging;
    /// The `limit` and `offset`, to change them.
    fn paging_mut(&mut self) -> &mut Paging;
    /// Adds the list's filters to the query (none by default).
    fn push_filters(&self, _query: &mut Query) {}

    /// The query of one page: the filters, `paginated=true` when the list
    /// needs it, then `limit` and `offset` when set.
    fn to_query(&self) -> Query {
        let Paging { limit, offset } = self.paging();
        let mut query = Query::new();
        self.push_filters(&mut query);
        if Self::ASK_FOR_TOTAL {
            query.push("paginated", true);
        }
        query.push_opt("limit", limit).push_opt("offset", offset);
        query
    }
}

impl Clerk {
    /// One page of a [`PaginatedList`] at `path` (segments under the base URL), with
    /// the total.
    pub(crate) async fn list_paginated<P: PaginatedList>(
        &self,
        path: &[&str],
        params: P,
    ) -> Result<Page<P::Item>> {
        self.send(ApiRequest::get(path)?.query(params.to_query()))
            .await
    }

    /// Every item of a [`PaginatedList`] at `path`, page after page from the `offset`
    /// set, `limit` per page ([`STREAM_PAGE_SIZE`] when unset).
    pub(crate) fn stream_paginated<P: PaginatedList>(
        &self,
        path: &[&str],
        params: P,
    ) -> ItemStream<P::Item> {
        let clerk = self.clone();
        let path: Vec<String> = path.iter().map(|segment| (*segment).to_owned()).collect();
        let Paging { limit, offset } = params.paging();
        paginate(
            offset.unwrap_or(0),
            limit.unwrap_or(STREAM_PAGE_SIZE),
            move |offset, limit| {
                let clerk = clerk.clone();
                let path = path.clone();
                let mut params = params.clone();
                *params.paging_mut() = Paging {
                    limit: Some(limit),
                    offset: Some(offset),
                };
                async move {
                    let path: Vec<&str> = path.iter().map(String::as_str).collect();
                    clerk.list_paginated(&path, params).await
                }
            },
        )
    }
}

/// Walks a list by offset: `fetch(offset, limit)` gets one page. The walk
/// stops after a page shorter than `limit` (an empty one included) or once
/// `total_count` items have been seen.
pub(crate) fn paginate<T, F, Fut>(start: u64, limit: u32, fetch: F) -> ItemStream<T>
where
    T: Send + 'static,
    F: FnMut(u64, u32) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    struct Walk<T, F> {
        fetch: F,
        offset: u64,
        limit: u32,
        buffered: std::vec::IntoIter<T>,
        finished: bool,
    }
    let walk = Walk {
        fetch,
        offset: start,
        limit: limit.max(1),
        buffered: Vec::new().into_iter(),
        finished: false,
    };
    stream::unfold(walk, |mut walk| async move {
        loop {
            if let Some(item) = walk.buffered.next() {
                return Some((Ok(item), walk));
            }
            if walk.finished {
                return None;
            }
            match (walk.fetch)(walk.offset, walk.limit).await {
                Ok(page) => {
                    let count = page.data.len() as u64;
                    walk.offset += count;
                    let past_total = page
                        .total_count
                        .is_some_and(|total| walk.offset >= u64::try_from(total).unwrap_or(0));
                    walk.finished = count < u64::from(walk.limit) || past_total;
                    walk.buffered = page.data.into_iter();
                }
                Err(error) => {
                    walk.finished = true;
                    return Some((Err(error), walk));
                }
            }
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use futures_util::TryStreamExt;
    use std::sync::{Arc, Mutex};

    /// A fake list of `total` numbers; records each (offset, limit) asked.
    fn numbers(
        total: u64,
        report_total: bool,
        calls: Arc<Mutex<Vec<(u64, u32)>>>,
    ) -> ItemStream<u64> {
        paginate(0, 3, move |offset, limit| {
            calls.lock().unwrap().push((offset, limit));
            let data: Vec<u64> = (offset..total.min(offset + u64::from(limit))).collect();
            let total_count = report_total.then_some(total as i64);
            async move { Ok(Page { data, total_count }) }
        })
    }

    #[tokio::test]
    async fn walks_every_page_and_stops_on_a_short_one() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let all: Vec<u64> = numbers(7, false, calls.clone())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
        assert_eq!(*calls.lock().unwrap(), [(0, 3), (3, 3), (6, 3)]);
    }

    #[tokio::test]
    async fn an_exact_multiple_needs_one_empty_page_without_a_total() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let all: Vec<u64> = numbers(6, false, calls.clone())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(calls.lock().unwrap().len(), 3);

        let calls = Arc::new(Mutex::new(Vec::new()));
        let all: Vec<u64> = numbers(6, true, calls.clone()).try_collect().await.unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(
            calls.lock().unwrap().len(),
            2,
            "the total makes the empty page unnecessary"
        );
    }

    #[tokio::test]
    async fn pages_are_fetched_only_when_needed() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let mut stream = numbers(100, false, calls.clone());
        for expected in 0..4 {
            assert_eq!(stream.try_next().await.unwrap(), Some(expected));
        }
        assert_eq!(
            calls.lock().unwrap().len(),
            2,
            "item 4 is the first of page 2"
        );
        drop(stream);
        assert_eq!(calls.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let mut stream = paginate(0, 2, |offset, _| async move {
            if offset == 0 {
                Ok(Page {
                    data: vec![1, 2],
                    total_count: None,
                })
            } else {
                Err(Error::InvalidInput("boom".into()))
            }
        });
        assert_eq!(stream.next().await.unwrap().unwrap(), 1);
        assert_eq!(stream.next().await.unwrap().unwrap(), 2);
        assert!(stream.next().await.unwrap().is_err());
        assert!(stream.next().await.is_none());
    }

    #[test]
    fn envelope_needs_data() {
        let err = serde_json::from_str::<Page<i32>>(r#"{"total_count":1}"#).unwrap_err();
        assert!(err.to_string().contains("data"));
        let page: Page<i32> =
            serde_json::from_str(r#"{"total_count":1,"data":[5],"next":"x"}"#).unwrap();
        assert_eq!(
            page,
            Page {
                data: vec![5],
                total_count: Some(1)
            }
        );
    }
}
