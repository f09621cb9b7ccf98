//! Who owns an output path, and the error when two claim one (E0108): what
//! each kind of owner is called, where the message points and what to do.

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Location};
use crate::model::Taxonomy;
use crate::pagination::PageOf;

/// Who a path belongs to, for the message when two claim it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A page svcbook makes itself: "home page".
    Generated(String),
    /// A folder svcbook fills itself: "the search index".
    Folder(&'static str),
    Article {
        id: String,
        source: PathBuf,
        line: usize,
    },
    Term {
        taxonomy: Taxonomy,
        term: String,
        source: PathBuf,
        line: usize,
    },
    LearningPath(PathBuf),
    Static(PathBuf),
    Asset(PathBuf),
    /// Page `number` (2 and on) of a listing whose first page `of` owns.
    Page {
        number: usize,
        of: Box<Owner>,
    },
}

impl Owner {
    pub(super) fn describe(&self) -> String {
        match self {
            Owner::Generated(what) => format!("svcbook's {what}"),
            Owner::Folder(what) => format!("svcbook's {what}"),
            Owner::Article { id, source, .. } => {
                format!("the article `{id}` ({})", source.display())
            }
            Owner::Term {
                taxonomy,
                term,
                source,
                ..
            } => format!(
                "the page of the {} `{term}` ({})",
                taxonomy.field(),
                source.display()
            ),
            Owner::LearningPath(file) => format!("the learning path {}", file.display()),
            Owner::Static(file) => format!("the static file {}", file.display()),
            Owner::Asset(file) => format!("the file {}", file.display()),
            Owner::Page { number, of } => format!("page {number} of {}", of.describe()),
        }
    }

    /// Where an error about this owner points; `None` for svcbook's own.
    pub(super) fn location(&self) -> Option<Location> {
        match self {
            Owner::Generated(_) | Owner::Folder(_) => None,
            Owner::Article { source, line, .. } | Owner::Term { source, line, .. } => {
                Some(Location::new(source, *line, 1))
            }
            Owner::LearningPath(file) | Owner::Static(file) | Owner::Asset(file) => {
                Some(Location::file(file))
            }
            Owner::Page { of, .. } => of.location(),
        }
    }

    pub(super) fn field(&self) -> Option<&'static str> {
        match self {
            Owner::Article { line, .. } if *line > 1 => Some("id"),
            Owner::Term { taxonomy, .. } => Some(taxonomy.field()),
            Owner::Page { of, .. } => of.field(),
            _ => None,
        }
    }

    pub(super) fn hint(&self) -> &'static str {
        match self {
            Owner::Article { .. } => {
                "rename the file or set another `id:`; a generated page keeps its name (change it with a template in templates/)"
            }
            Owner::Term { .. } => "use one spelling of the term",
            Owner::LearningPath(_) => "rename the learning path file",
            Owner::Static(_) => {
                "rename or remove the file; to change a generated page, override its template in templates/"
            }
            Owner::Asset(_) => "rename or move the file",
            Owner::Page { .. } => {
                "a listing's later pages are `page/N.html` in the folder named after it (set `paginate_by` in svcbook.toml to change how many there are); rename or move the other file"
            }
            // Two of svcbook's own pages meet only through a kind declared
            // in svcbook.toml whose folder is a generated page's.
            Owner::Generated(_) | Owner::Folder(_) => {
                "give the kind declared in svcbook.toml another `folder`"
            }
        }
    }
}

/// The owner of `page` of a listing whose first page `owner` owns.
pub(super) fn paged(owner: &Owner, page: PageOf) -> Owner {
    if page.number == 1 {
        owner.clone()
    } else {
        Owner::Page {
            number: page.number,
            of: Box::new(owner.clone()),
        }
    }
}

/// The owner a collision is reported at: the one added last, unless it is
/// one of svcbook's own pages and the other is a file of the site (a folder's
/// listing is planned after every file, and its later pages may meet one).
pub(super) fn blamed<'a>(owner: &'a Owner, other: &'a Owner) -> &'a Owner {
    if owner.location().is_none() && other.location().is_some() {
        other
    } else {
        owner
    }
}

pub(super) fn collision(owner: &Owner, message: String) -> Diagnostic {
    let mut d = Diagnostic::error("E0108", message).hint(owner.hint());
    if let Some(location) = owner.location() {
        d = d.at(location);
    }
    if let Some(field) = owner.field() {
        d = d.field(field);
    }
    d
}
