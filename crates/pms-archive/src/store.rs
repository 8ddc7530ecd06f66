//! The object store behind the archive: a local directory (`file://`) or S3 (`s3://`), with
//! errors that name the store and the key, and a probe that proves it is reachable and
//! writable before anything is moved.

use crate::config::ArchiveConfig;
use crate::error::{ArchiveError, Result};
use bytes::Bytes;
use futures::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjPath;
use object_store::prefix::PrefixStore;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};
use std::sync::Arc;
use std::time::Duration;

/// Keys under this prefix are the store's own probes, never archive batches.
pub const PROBE_PREFIX: &str = "_pms_probe";

/// An opened archive store.
#[derive(Clone)]
pub struct ArchiveStore {
    inner: Arc<dyn ObjectStore>,
    url: String,
}

impl std::fmt::Debug for ArchiveStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchiveStore")
            .field("url", &self.url)
            .finish()
    }
}

impl ArchiveStore {
    /// Opens the store a configuration names. Validates the URL; does not touch the network
    /// (see [`ArchiveStore::check`]).
    pub fn open(config: &ArchiveConfig) -> Result<Self> {
        let raw = config.url.as_str();
        let bad = |reason: &str| ArchiveError::BadUrl {
            url: raw.to_string(),
            reason: reason.to_string(),
        };
        let url = url::Url::parse(raw)
            .map_err(|e| bad(&format!("{e}; expected file:///path or s3://bucket/prefix")))?;
        let inner: Arc<dyn ObjectStore> = match url.scheme() {
            "file" => {
                if url.host_str().is_some_and(|h| !h.is_empty()) {
                    return Err(bad(
                        "a file URL needs an absolute path: file:///var/lib/pms/archive",
                    ));
                }
                let path = url.to_file_path().map_err(|()| bad("not a local path"))?;
                std::fs::create_dir_all(&path)
                    .map_err(|e| bad(&format!("cannot create {}: {e}", path.display())))?;
                let fs =
                    LocalFileSystem::new_with_prefix(&path).map_err(|e| bad(&e.to_string()))?;
                Arc::new(fs.with_automatic_cleanup(true))
            }
            "s3" => {
                let bucket = url
                    .host_str()
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| bad("no bucket: s3://bucket/prefix"))?;
                let mut b = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .with_retry(RetryConfig {
                        max_retries: 2,
                        retry_timeout: Duration::from_secs(15),
                        ..Default::default()
                    })
                    .with_client_options(
                        ClientOptions::new()
                            .with_connect_timeout(Duration::from_secs(5))
                            .with_timeout(Duration::from_secs(60)),
                    );
                for (k, v) in &config.s3_options {
                    let key = k
                        .to_ascii_lowercase()
                        .parse()
                        .map_err(|e| bad(&format!("S3 option {k}: {e}")))?;
                    b = b.with_config(key, v);
                }
                let s3 = b.build().map_err(|e| bad(&e.to_string()))?;
                let prefix = url.path().trim_matches('/');
                if prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    let p = ObjPath::parse(prefix)
                        .map_err(|e| bad(&format!("prefix {prefix:?}: {e}")))?;
                    Arc::new(PrefixStore::new(s3, p))
                }
            }
            other => {
                return Err(bad(&format!(
                    "unsupported scheme {other:?}; use file:// or s3://"
                )));
            }
        };
        Ok(Self {
            inner,
            url: pms_core::config::mask_url(raw),
        })
    }

    /// The store's URL (credentials masked).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Writes, reads back and deletes a probe object: the store is reachable and writable.
    pub async fn check(&self) -> Result<()> {
        let key = ObjPath::from(format!("{PROBE_PREFIX}/{}", uuid::Uuid::now_v7()));
        let unreachable = |source| ArchiveError::Unreachable {
            url: self.url.clone(),
            source,
        };
        self.inner
            .put(&key, PutPayload::from_static(b"pms"))
            .await
            .map_err(unreachable)?;
        self.inner
            .get(&key)
            .await
            .map_err(unreachable)?
            .bytes()
            .await
            .map_err(unreachable)?;
        self.inner.delete(&key).await.map_err(unreachable)?;
        Ok(())
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        self.inner
            .put(&ObjPath::from(key), PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(|source| ArchiveError::Write {
                url: self.url.clone(),
                key: key.to_string(),
                source,
            })
    }

    pub async fn get(&self, key: &str) -> Result<Bytes> {
        let read = |source| ArchiveError::Read {
            url: self.url.clone(),
            key: key.to_string(),
            source,
        };
        self.inner
            .get(&ObjPath::from(key))
            .await
            .map_err(read)?
            .bytes()
            .await
            .map_err(read)
    }

    /// Reads `len` bytes at `offset`: one entity's frame, without reading the batch.
    pub async fn get_range(&self, key: &str, offset: u64, len: u64) -> Result<Bytes> {
        self.inner
            .get_range(&ObjPath::from(key), offset..offset + len)
            .await
            .map_err(|source| ArchiveError::Read {
                url: self.url.clone(),
                key: key.to_string(),
                source,
            })
    }

    /// Deletes an object; one that is already gone is not an error (deletion is idempotent).
    pub async fn delete(&self, key: &str) -> Result<()> {
        match self.inner.delete(&ObjPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(source) => Err(ArchiveError::Delete {
                url: self.url.clone(),
                key: key.to_string(),
                source,
            }),
        }
    }

    /// Every batch object's key (probes excluded).
    pub async fn list(&self) -> Result<Vec<String>> {
        let metas: Vec<_> = self
            .inner
            .list(None)
            .try_collect()
            .await
            .map_err(|source| ArchiveError::Read {
                url: self.url.clone(),
                key: "(listing)".into(),
                source,
            })?;
        let mut keys: Vec<String> = metas
            .into_iter()
            .map(|m| m.location.to_string())
            .filter(|k| !k.starts_with(PROBE_PREFIX))
            .collect();
        keys.sort();
        Ok(keys)
    }
}
