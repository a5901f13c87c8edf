//! A tenant's lists of values (barnehager, skoler …): items with labels in three languages and validity
//! periods. Seeded from the library's `forms/lists/`, kept per tenant in the store, read by the engine.

use serde::{Deserialize, Serialize};

use crate::i18n::Texts;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredItem {
    pub id: String,
    pub label: Texts,
    /// `YYYY-MM-DD`, inclusive.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ValueList {
    pub id: String,
    pub title: Texts,
    #[serde(rename = "item", default)]
    pub items: Vec<StoredItem>,
}
