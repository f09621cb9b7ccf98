//! The content model: what an article is once its front matter has been checked.
//!
//! Every type here is already valid: the validate stage is the only place that
//! builds them from user input, so templates and the index never re-check.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// The kind of an article, from `kind:` or its top folder: a handle on its
/// entry in the kind registry ([`crate::kinds`]).
pub use crate::kinds::Kind;

/// A front-matter enum: a closed set of snake_case names.
pub trait Choice: Sized + Copy + 'static {
    const NAMES: &'static [(&'static str, Self)];

    fn parse(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    fn name(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::NAMES
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(n, _)| *n)
            .unwrap_or("")
    }

    fn names() -> Vec<&'static str> {
        Self::NAMES.iter().map(|(n, _)| *n).collect()
    }
}

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal => $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl Choice for $name {
            const NAMES: &'static [(&'static str, Self)] = &[$(($text, $name::$variant)),+];
        }

        impl $name {
            /// Chinese label shown in the UI.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

choice!(
    /// Lifecycle state, after KCS: drafts are left out of builds unless asked for.
    Status {
        Draft = "draft" => "草稿",
        Review = "review" => "审核中",
        Published = "published" => "已发布",
        Archived = "archived" => "已归档",
    }
);

choice!(Audience {
    Trainee = "trainee" => "学员",
    Engineer = "engineer" => "工程师",
    Trainer = "trainer" => "培训师",
});

choice!(TimeUnit {
    Minutes = "minutes" => "分钟",
    Hours = "hours" => "小时",
    Days = "days" => "天",
    WorkingDays = "working_days" => "个工作日",
});

impl TimeUnit {
    /// Rough length in minutes, only for sorting the time-limit overview
    /// (a working day counts as 1.4 calendar days, weekends included).
    fn approx_minutes(self) -> u64 {
        match self {
            TimeUnit::Minutes => 1,
            TimeUnit::Hours => 60,
            TimeUnit::Days => 24 * 60,
            TimeUnit::WorkingDays => 24 * 60 * 7 / 5,
        }
    }
}

/// A time limit such as "7 working days".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Duration {
    pub value: u32,
    pub unit: TimeUnit,
}

impl Duration {
    /// Largest accepted value: a year in minutes; anything above is a typo.
    pub const MAX_VALUE: u32 = 525_600;

    /// Parses the shorthand `24h`, `30d`, `7wd`, `45min`.
    pub fn parse_shorthand(text: &str) -> Option<Duration> {
        let text = text.trim();
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        let (num, unit) = text.split_at(digits);
        let value: u32 = num.parse().ok()?;
        let unit = match unit.trim() {
            "min" | "m" => TimeUnit::Minutes,
            "h" => TimeUnit::Hours,
            "d" => TimeUnit::Days,
            "wd" => TimeUnit::WorkingDays,
            _ => return None,
        };
        (value > 0 && value <= Duration::MAX_VALUE).then_some(Duration { value, unit })
    }

    pub fn sort_key(self) -> u64 {
        u64::from(self.value) * self.unit.approx_minutes()
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.unit.label())
    }
}

/// A calendar date, `YYYY-MM-DD`. Hand-written because the site only compares and
/// prints dates; a date-time crate would be weight without use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= date.days_in_month())
            .then_some(date)
    }

    fn days_in_month(self) -> u8 {
        match self.month {
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Days since 1970-01-01 (civil-from-days inverse, Howard Hinnant's algorithm).
    pub fn days_since_epoch(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days_since_epoch(secs.div_euclid(86_400))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeEntry {
    pub version: String,
    pub date: Date,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sla {
    pub metric: String,
    pub target: Duration,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Escalation {
    pub after: Duration,
    pub to: String,
}

/// One typed field's value, as its kind's registry entry declares it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Text(String),
    /// A list, or the ids of a reference field.
    List(Vec<String>),
    Choice {
        name: &'static str,
        label: &'static str,
    },
    Date(Date),
    Duration(Duration),
    Escalation(Vec<Escalation>),
    Sla(Vec<Sla>),
}

impl FieldValue {
    /// The value as searchable or displayable texts.
    pub fn texts(&self) -> Vec<String> {
        match self {
            FieldValue::Text(t) => vec![t.clone()],
            FieldValue::List(items) => items.clone(),
            FieldValue::Choice { label, .. } => vec![label.to_string()],
            FieldValue::Date(d) => vec![d.to_string()],
            FieldValue::Duration(d) => vec![d.to_string()],
            FieldValue::Escalation(steps) => steps.iter().map(|e| e.to.clone()).collect(),
            FieldValue::Sla(rows) => rows.iter().map(|s| s.metric.clone()).collect(),
        }
    }

    /// Empty values are not stored: an absent field and `[]` read the same.
    fn is_empty(&self) -> bool {
        match self {
            FieldValue::List(v) => v.is_empty(),
            FieldValue::Escalation(v) => v.is_empty(),
            FieldValue::Sla(v) => v.is_empty(),
            _ => false,
        }
    }
}

/// The typed fields of an article's kind that it sets, in the kind's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KindFields(Vec<(&'static str, FieldValue)>);

impl KindFields {
    pub fn push(&mut self, key: &'static str, value: FieldValue) {
        if !value.is_empty() {
            self.0.push((key, value));
        }
    }

    pub fn get(&self, key: &str) -> Option<&FieldValue> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &FieldValue)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }

    pub fn list(&self, key: &str) -> &[String] {
        match self.get(key) {
            Some(FieldValue::List(items)) => items,
            _ => &[],
        }
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(FieldValue::Text(t)) => Some(t),
            _ => None,
        }
    }

    pub fn duration(&self, key: &str) -> Option<Duration> {
        match self.get(key) {
            Some(FieldValue::Duration(d)) => Some(*d),
            _ => None,
        }
    }

    pub fn error_codes(&self) -> &[String] {
        self.list("error_codes")
    }
}

impl Serialize for KindFields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// An article whose front matter is valid. Its body is still Markdown.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub products: Vec<String>,
    pub audience: Vec<Audience>,
    pub status: Status,
    pub version: Option<String>,
    pub updated: Option<Date>,
    pub review_by: Option<Date>,
    pub owner: Option<String>,
    pub related: Vec<String>,
    pub weight: i64,
    pub changelog: Vec<ChangeEntry>,
    pub fields: KindFields,
    /// URL of the page relative to the site root, `/`-separated.
    pub url: String,
    /// For a folder's section page (its `_index.md`, `index.md` or
    /// `README.md`), the folder, content-relative.
    pub section_of: Option<String>,
    /// Files at the page's old URLs (`aliases`) that send readers on to it.
    #[serde(skip)]
    pub aliases: Vec<String>,
    #[serde(skip)]
    pub source: SourceRef,
}

/// The taxonomies: which front-matter values get index pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taxonomy {
    Products,
    ErrorCodes,
    Tags,
}

impl Taxonomy {
    pub const ALL: [Taxonomy; 3] = [Taxonomy::Products, Taxonomy::ErrorCodes, Taxonomy::Tags];

    pub fn folder(self) -> &'static str {
        match self {
            Taxonomy::Products => "products",
            Taxonomy::ErrorCodes => "error-codes",
            Taxonomy::Tags => "tags",
        }
    }

    /// The front-matter field the terms come from.
    pub fn field(self) -> &'static str {
        match self {
            Taxonomy::Products => "products",
            Taxonomy::ErrorCodes => "error_codes",
            Taxonomy::Tags => "tags",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Taxonomy::Products => "产品型号",
            Taxonomy::ErrorCodes => "故障代码",
            Taxonomy::Tags => "标签",
        }
    }

    pub fn terms(self, a: &Article) -> &[String] {
        match self {
            Taxonomy::Products => &a.products,
            Taxonomy::ErrorCodes => a.fields.error_codes(),
            Taxonomy::Tags => &a.tags,
        }
    }

    /// Root-relative URL of a term's page (see [`crate::routes::term_file_stem`]).
    pub fn term_url(self, term: &str) -> String {
        format!(
            "{}/{}.html",
            self.folder(),
            crate::routes::term_file_stem(term)
        )
    }
}

/// Where an article came from, for diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceRef {
    /// Path as shown to the user (relative to the current directory where possible).
    pub path: PathBuf,
    /// Path relative to the content folder, `/`-separated.
    pub rel: String,
    /// File line on which the Markdown body starts.
    pub body_line: usize,
    /// Line of each reference in `related`, in order, for dangling-id errors.
    pub related_lines: Vec<usize>,
    /// Line of the `id:` key, or 1 when the id comes from the file name.
    pub id_line: usize,
    /// Whether the front matter sets `status` (rather than taking the default).
    pub status_set: bool,
    /// Line of each term of a taxonomy field (`tags`, `products`,
    /// `error_codes`), in order, for errors about the term's page.
    pub term_lines: std::collections::BTreeMap<&'static str, Vec<usize>>,
    /// Where `svcbook check`'s review warnings point, with the line's text:
    /// the `review_by` value (line, column), and the key an owner-less
    /// article is reported at (`status`, else `title`, else line 1).
    pub review_by_at: Option<(usize, usize, String)>,
    pub owner_at: (usize, String),
}

impl Article {
    /// Whether the review workflow applies: owners (W0202 and the review page's
    /// "no owner" list) and review dates. Every typed kind is held to it; a plain
    /// page only when its front matter opts in with `status` or `review_by`, so a
    /// folder of plain docs does not read as a backlog of unowned articles.
    pub fn in_review_workflow(&self) -> bool {
        self.kind != Kind::PAGE || self.source.status_set || self.review_by.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly_and_round_trip_through_days() {
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("26-1-1"), None);
        for text in ["1970-01-01", "2000-02-29", "2026-11-22", "2099-12-31"] {
            let d = Date::parse(text).unwrap();
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
    }

    #[test]
    fn duration_shorthand() {
        assert_eq!(
            Duration::parse_shorthand("24h"),
            Some(Duration {
                value: 24,
                unit: TimeUnit::Hours
            })
        );
        assert_eq!(
            Duration::parse_shorthand("7wd"),
            Some(Duration {
                value: 7,
                unit: TimeUnit::WorkingDays
            })
        );
        assert_eq!(Duration::parse_shorthand("0h"), None);
        assert_eq!(Duration::parse_shorthand("-3d"), None);
        assert_eq!(Duration::parse_shorthand("3 weeks"), None);
        assert!(
            Duration::parse_shorthand("4h").unwrap().sort_key()
                < Duration::parse_shorthand("1d").unwrap().sort_key()
        );
    }

    #[test]
    fn choices_parse_by_name() {
        assert_eq!(Status::parse("draft"), Some(Status::Draft));
        assert_eq!(Status::Draft.name(), "draft");
        assert_eq!(TimeUnit::parse("working_days"), Some(TimeUnit::WorkingDays));
    }
}
