//! The physical limit for `scripts/bench`: a bare hyper server answering "Hello, world!" over the same TLS
//! stack (rustls, ring, ALPN h2/http1.1) and runtime as Rådhus, with no routing, pages or headers.
//!
//! Usage: hello-world ADDR CERT.pem KEY.pem

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, addr, cert, key] = args.as_slice() else {
        eprintln!("usage: hello-world ADDR CERT.pem KEY.pem");
        std::process::exit(2);
    };
    let resolver = Arc::new(radhus::http::tls::CertResolver::new(
        cert.as_ref(),
        key.as_ref(),
    )?);
    let acceptor = tokio_rustls::TlsAcceptor::from(radhus::http::tls::server_config(resolver)?);
    let listener = tokio::net::TcpListener::bind(addr.as_str()).await?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (tcp, _) = listener.accept().await?;
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let svc = service_fn(|_req| async {
                Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from_static(
                    b"Hello, world!",
                ))))
            });
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tls), svc)
                .await;
        });
    }
}
