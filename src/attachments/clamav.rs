//! Virus scanning through a ClamAV daemon: the `INSTREAM` command over a unix or TCP socket.
//!
//! Protocol: send `zINSTREAM\0`, then the file as chunks of `<u32 big-endian length><bytes>`, then a
//! zero-length chunk; clamd answers `stream: OK\0` or `stream: <signature> FOUND\0` (or an error).

use std::path::Path;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

pub use crate::config::targets::{ClamavConfig, ClamdAddress};

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    Infected(String),
}

/// Scans a file. An error means "could not tell": the upload is refused (fail closed) with a
/// "try again later" message.
pub async fn scan(cfg: &ClamavConfig, file: &Path) -> Result<Verdict, String> {
    let work = async {
        match &cfg.address {
            ClamdAddress::Unix(p) => {
                let s = tokio::net::UnixStream::connect(p)
                    .await
                    .map_err(|e| format!("cannot reach clamd at {}: {e}", p.display()))?;
                instream(s, file).await
            }
            ClamdAddress::Tcp(a) => {
                let s = tokio::net::TcpStream::connect(a)
                    .await
                    .map_err(|e| format!("cannot reach clamd at {a}: {e}"))?;
                instream(s, file).await
            }
        }
    };
    tokio::time::timeout(cfg.timeout, work)
        .await
        .map_err(|_| "clamd did not answer in time".to_owned())?
}

async fn instream<S: AsyncRead + AsyncWrite + Unpin>(
    mut s: S,
    file: &Path,
) -> Result<Verdict, String> {
    let io = |e: std::io::Error| format!("talking to clamd: {e}");
    let mut f = tokio::fs::File::open(file)
        .await
        .map_err(|e| format!("reading the upload: {e}"))?;
    s.write_all(b"zINSTREAM\0").await.map_err(io)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f
            .read(&mut buf)
            .await
            .map_err(|e| format!("reading the upload: {e}"))?;
        if n == 0 {
            break;
        }
        let len = u32::try_from(n).map_err(|e| e.to_string())?;
        s.write_all(&len.to_be_bytes()).await.map_err(io)?;
        s.write_all(buf.get(..n).unwrap_or_default())
            .await
            .map_err(io)?;
    }
    s.write_all(&0u32.to_be_bytes()).await.map_err(io)?;
    s.flush().await.map_err(io)?;
    let mut reply = Vec::new();
    s.take(4096).read_to_end(&mut reply).await.map_err(io)?;
    parse_reply(&reply)
}

fn parse_reply(reply: &[u8]) -> Result<Verdict, String> {
    let text = String::from_utf8_lossy(reply);
    let text = text.trim_end_matches(['\0', '\n']).trim();
    let body = text.strip_prefix("stream:").map_or(text, str::trim);
    if body == "OK" {
        Ok(Verdict::Clean)
    } else if let Some(sig) = body.strip_suffix("FOUND") {
        Ok(Verdict::Infected(sig.trim().to_owned()))
    } else {
        Err(format!("clamd answered: {text}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies() {
        assert_eq!(parse_reply(b"stream: OK\0"), Ok(Verdict::Clean));
        assert_eq!(
            parse_reply(b"stream: Radhus.Test.Signature.UNOFFICIAL FOUND\0"),
            Ok(Verdict::Infected("Radhus.Test.Signature.UNOFFICIAL".into()))
        );
        assert!(parse_reply(b"INSTREAM size limit exceeded. ERROR\0").is_err());
        assert!(parse_reply(b"").is_err());
    }
}
