//! The catalogue: service items (事项) with their guides and form schemas,
//! "一件事" bundles, and the licence types (证照) a terminal can print.
//! Unknown fields are ignored, so a platform can add to the document
//! without breaking terminals that do not know the addition yet.

use serde::{Deserialize, Serialize};

/// A text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Text {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// The whole catalogue, versioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Increases with every change; a terminal never goes back.
    pub version: u64,
    /// When the platform issued it (RFC 3339).
    pub issued_at: String,
    /// True for the sample data shipped with the project.
    pub sample: bool,
    /// Categories, in display order.
    pub categories: Vec<Category>,
    /// The service items.
    pub items: Vec<Item>,
    /// "一件事" bundles: one form feeding several items.
    pub bundles: Vec<Bundle>,
    /// The licence types.
    pub licence_types: Vec<LicenceType>,
}

/// A category of items (户籍, 社保 …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Stable id.
    pub id: String,
    /// Its name.
    pub name: Text,
}

/// One service item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stable id.
    pub id: String,
    /// Category id.
    pub category: String,
    /// Its name.
    pub name: Text,
    /// Full pinyin without tones, space separated (for search).
    pub pinyin: String,
    /// Pinyin initials (for search: "jzz" finds 居住证).
    pub initials: String,
    /// The department that handles it.
    pub department: Text,
    /// The guide residents read first.
    pub guide: Guide,
    /// The form.
    pub form: Vec<Field>,
    /// Offered as 快办 (about three minutes, no paper where a licence
    /// exists).
    pub kuaiban: bool,
}

/// An item's guide (办事指南).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    /// Who may apply and when.
    pub conditions: Vec<Text>,
    /// What to bring.
    pub materials: Vec<Material>,
    /// What it costs.
    pub fee: Text,
    /// Working days to a decision.
    pub time_limit_days: u32,
    /// Where it is handled.
    pub place: Text,
}

/// A material (申请材料).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// Stable id within the item.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Licence types whose electronic licence stands in for it (no paper).
    pub satisfied_by: Vec<String>,
}

/// A form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// Stable key.
    pub key: String,
    /// Its label.
    pub label: Text,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether it must be filled.
    pub required: bool,
    /// Prefilled from the identity document.
    pub from_id_card: Option<IdCardField>,
    /// The choices of a `choice` field.
    pub choices: Vec<Text>,
    /// Longest value, in characters.
    pub max_len: u32,
}

/// What a field holds (and how it is validated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A whole number.
    Number,
    /// A date (YYYY-MM-DD).
    Date,
    /// A mainland mobile number.
    Phone,
    /// A resident ID number (with its check digit).
    IdNumber,
    /// One of `choices`.
    Choice,
    /// An address.
    Address,
}

/// What the identity document fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdCardField {
    /// Name.
    Name,
    /// Document number.
    Number,
    /// Sex.
    Sex,
    /// Date of birth.
    Birth,
    /// Address on the card.
    Address,
}

/// A "一件事" bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    /// Stable id.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// The items one submission feeds.
    pub items: Vec<String>,
    /// The one form (its keys map onto the items' fields of the same key).
    pub form: Vec<Field>,
}

/// A licence type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceType {
    /// Stable code.
    pub code: String,
    /// Its name.
    pub name: Text,
    /// Who issues it.
    pub issuer: Text,
    /// The print template (`assets/licences/<template>.toml`).
    pub template: String,
    /// Copies one resident may print a day.
    pub copies_per_day: u32,
}

impl Catalogue {
    /// Everything inconsistent in the catalogue, one sentence each: ids
    /// that repeat, references to categories, items or licence types that
    /// do not exist, choice fields without choices, bundles whose items are
    /// missing.
    pub fn problems(&self) -> Vec<String> {
        use std::collections::HashSet;
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        for c in &self.categories {
            if !seen.insert(("category", c.id.as_str())) {
                problems.push(format!("category {} twice", c.id));
            }
        }
        let licences: HashSet<&str> = self.licence_types.iter().map(|l| l.code.as_str()).collect();
        if licences.len() != self.licence_types.len() {
            problems.push("a licence type code repeats".into());
        }
        let check_form = |owner: &str, form: &[Field], problems: &mut Vec<String>| {
            let mut keys = HashSet::new();
            for f in form {
                if !keys.insert(f.key.as_str()) {
                    problems.push(format!("{owner}: field {} twice", f.key));
                }
                if f.kind == FieldKind::Choice && f.choices.is_empty() {
                    problems.push(format!("{owner}: choice field {} has no choices", f.key));
                }
                if f.max_len == 0 {
                    problems.push(format!("{owner}: field {} takes nothing", f.key));
                }
            }
        };
        for item in &self.items {
            if !seen.insert(("item", item.id.as_str())) {
                problems.push(format!("item {} twice", item.id));
            }
            if !self.categories.iter().any(|c| c.id == item.category) {
                problems.push(format!("item {}: no category {}", item.id, item.category));
            }
            if item.name.zh.is_empty() || item.name.en.is_empty() || item.pinyin.is_empty() {
                problems.push(format!("item {}: a name or its pinyin is missing", item.id));
            }
            for m in &item.guide.materials {
                for l in &m.satisfied_by {
                    if !licences.contains(l.as_str()) {
                        problems.push(format!(
                            "item {}: material {} names licence type {l}, which does not exist",
                            item.id, m.id
                        ));
                    }
                }
            }
            check_form(&item.id, &item.form, &mut problems);
        }
        for bundle in &self.bundles {
            for i in &bundle.items {
                if !self.items.iter().any(|it| &it.id == i) {
                    problems.push(format!("bundle {}: no item {i}", bundle.id));
                }
            }
            check_form(&bundle.id, &bundle.form, &mut problems);
        }
        problems
    }
}
