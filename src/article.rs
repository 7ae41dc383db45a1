//! The parsed article: what a reader in [`crate::corpus`] produces and what
//! the rest of the pipeline consumes.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A calendar date (`YYYY-MM-DD`), the publication day of an article in the
/// source's own offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Four-digit year.
    pub year: i16,
    /// Month, 1-12.
    pub month: i8,
    /// Day of the month, 1-31.
    pub day: i8,
}

impl Date {
    /// Returns the date if it exists in the proleptic Gregorian calendar.
    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok()?;
        Some(Date { year, month, day })
    }

    /// Returns the number of days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        let date = jiff::civil::Date::new(self.year, self.month, self.day)
            .expect("a Date is always valid");
        let epoch = jiff::civil::date(1970, 1, 1);
        i64::from((date - epoch).get_days())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;

    /// Parses `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("invalid date `{s}` (expected YYYY-MM-DD)");
        let mut parts = s.splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        let day = d.parse().map_err(|_| bad())?;
        Date::new(year, month, day).ok_or_else(bad)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a piece of information about an article came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Found in the article body.
    Text,
    /// Found in the headline.
    Title,
    /// Found in the dateline.
    Dateline,
    /// Given by the input's metadata (front matter, JSON fields, SGML tags).
    Metadata,
    /// Derived from a demonym ("Malian" for Mali).
    Demonym,
    /// Derived from the file name.
    Filename,
}

/// One news article as read from its source file, before extraction.
///
/// `body` excludes the headline and a dateline standing on its own line; all
/// offsets elsewhere in Dateline (passages, mentions) are Unicode code points
/// into `body`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Unique, stable id: the path for a one-article file, `PATH#NEWID` for
    /// Reuters SGML, `PATH#LINE` for JSON Lines, `PATH#N` for a JSON array.
    pub id: String,
    /// The file the article was read from.
    pub path: PathBuf,
    /// 1-based line of the article in its file, when the format has lines
    /// worth pointing at (JSON Lines, SGML).
    pub line: Option<usize>,
    /// The headline, if any.
    pub title: Option<String>,
    /// The article text (headline excluded).
    pub body: String,
    /// The article's address on the web, if given.
    pub url: Option<String>,
    /// The outlet or agency, if given (`Reuters`, `BBC News`).
    pub source: Option<String>,
    /// The publication date given by metadata, if any.
    pub published: Option<Date>,
    /// The raw date string of the metadata, always kept when there is one.
    pub published_raw: Option<String>,
    /// The dateline's place as written (`ANKARA`, `LONDON`), if the article has one.
    pub dateline: Option<String>,
    /// A dateline standing on its own line, whole (`BRUSSELS 1996-08-22`):
    /// it is not part of the body, and its date may be the article's.
    pub dateline_line: Option<String>,
    /// Place names given by the input's metadata (front matter
    /// `locations`, Reuters `PLACES` codes with `-` turned into spaces).
    pub given_locations: Vec<String>,
    /// Organization names given by the input's metadata.
    pub given_organizations: Vec<String>,
}
