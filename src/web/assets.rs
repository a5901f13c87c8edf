//! Static assets of the tenant the request is for.

use hyper::StatusCode;

use super::Request;
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::response::asset;

pub fn serve(r: &Request<'_>) -> Result<Resp, WebError> {
    let name = r.params.get("file").ok_or(WebError::NotFound)?;
    let a = r.ctx.tenant.assets.get(name).ok_or(WebError::NotFound)?;
    Ok(asset(a, r.ctx.accepts_gzip))
}

pub fn robots(_: &Request<'_>) -> Result<Resp, WebError> {
    Ok(crate::http::response::text(
        StatusCode::OK,
        "text/plain; charset=utf-8",
        "User-agent: *\nAllow: /\nDisallow: /sprak\n",
    ))
}
