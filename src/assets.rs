//! Static assets under content-hashed names (`/static/theme.3f2a…css`), served with long-lived cache headers
//! and precompressed with gzip once at start. Each tenant has its own set, so one tenant's theme is never
//! served on another tenant's host name.

use std::collections::HashMap;
use std::io::Write;

use bytes::Bytes;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct Asset {
    pub body: Bytes,
    pub gzip: Option<Bytes>,
    pub content_type: &'static str,
}

/// A tenant's assets by file name (without the `/static/` prefix).
#[derive(Debug, Default, Clone)]
pub struct AssetSet {
    by_name: HashMap<String, Asset>,
}

/// The public URL of each well-known asset of a tenant.
#[derive(Debug, Clone, Default)]
pub struct AssetUrls {
    pub css: String,
    pub logo: String,
    /// The optional script of form steps (follow-up questions).
    pub script: String,
}

fn gzip(data: &[u8]) -> Option<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).ok()?;
    let out = enc.finish().ok()?;
    (out.len() < data.len()).then(|| Bytes::from(out))
}

impl AssetSet {
    /// Adds an asset as `<stem>.<hash>.<ext>` and returns its URL path.
    pub fn add(
        &mut self,
        stem: &str,
        ext: &str,
        content_type: &'static str,
        data: Vec<u8>,
    ) -> String {
        let hash = Sha256::digest(&data);
        let short: String = hash.iter().take(6).map(|b| format!("{b:02x}")).collect();
        let name = format!("{stem}.{short}.{ext}");
        let gz = gzip(&data);
        self.by_name.insert(
            name.clone(),
            Asset {
                body: Bytes::from(data),
                gzip: gz,
                content_type,
            },
        );
        format!("/static/{name}")
    }

    pub fn get(&self, name: &str) -> Option<&Asset> {
        self.by_name.get(name)
    }
}
