//! Static assets of the tenant the request is for.

use super::Request;
use crate::http::Resp;
use crate::http::error::WebError;
use crate::http::response::asset;

pub fn serve(r: &Request<'_, '_>) -> Result<Resp, WebError> {
    let name = r.param(0).ok_or(WebError::NotFound)?;
    let a = r.ctx.tenant.assets.get(name).ok_or(WebError::NotFound)?;
    Ok(asset(a, r.ctx.accepts_gzip))
}
