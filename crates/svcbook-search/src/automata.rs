//! Term automata for the word being typed (prefix) and for typos (one edit),
//! written out so the wasm runtime carries no regex compiler: they replaced
//! tantivy-fst `Regex`es (`<term>.*` and an alternation of every one-edit
//! spelling) and accept exactly the same terms (unit-tested against them
//! below), scored the same way (tantivy's `AutomatonWeight`).
//!
//! Terms in the dictionary are valid UTF-8, so the automata decode characters
//! as they come and compare whole characters, as the regexes did.

use std::sync::Arc;

use tantivy::query::{AutomatonWeight, EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy_fst::Automaton;

/// What a typo may insert or replace a character with: an ASCII letter, digit
/// or code connector (the regex's `[0-9a-z_./\-]`), which keeps typos to codes
/// and ASCII words.
fn typo_char(c: char) -> bool {
    matches!(c, '0'..='9' | 'a'..='z' | '_' | '.' | '/' | '-')
}

/// Terms that start with `prefix` and go on without a line break (the
/// regex's `.*`).
#[derive(Debug, Clone)]
pub struct Prefix {
    prefix: Box<[u8]>,
}

impl Prefix {
    pub fn new(prefix: &str) -> Prefix {
        Prefix {
            prefix: prefix.as_bytes().into(),
        }
    }
}

impl Automaton for Prefix {
    /// Bytes of the prefix matched so far; `None` once no match can follow.
    type State = Option<usize>;

    fn start(&self) -> Self::State {
        Some(0)
    }

    fn is_match(&self, state: &Self::State) -> bool {
        *state == Some(self.prefix.len())
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let n = (*state)?;
        match self.prefix.get(n) {
            Some(&b) => (b == byte).then_some(n + 1),
            // `\n` is never part of a multi-byte character, so a byte test is exact.
            None => (byte != b'\n').then_some(n),
        }
    }
}

/// The longest term a [`OneEdit`] handles (its states are 128-bit sets); a
/// longer word gets no typo matches.
pub const MAX_ONE_EDIT_CHARS: usize = 120;

/// Terms exactly one edit from `term`: a character inserted or replaced (by a
/// [`typo_char`]), one dropped, or two neighbours swapped. The term itself is
/// matched only as such an edit (replacing a character by itself, or swapping
/// two equal neighbours), as in the regex this replaced.
#[derive(Debug, Clone)]
pub struct OneEdit {
    term: Box<[char]>,
}

/// An NFA state set: `exact` = position in the term when no edit was used
/// yet (or `NONE`), `swapped` = position `i` when `term[i + 1]` was just read
/// in place of `term[i]` (or `NONE`), `edited` = positions reached with the
/// one edit used, plus the bytes of a character not finished yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OneEditState {
    exact: u8,
    swapped: u8,
    edited: u128,
    pending: [u8; 4],
    pending_len: u8,
}

const NONE: u8 = u8::MAX;

impl OneEdit {
    /// `None` for a term longer than [`MAX_ONE_EDIT_CHARS`].
    pub fn new(term: &str) -> Option<OneEdit> {
        let term: Box<[char]> = term.chars().collect();
        (term.len() <= MAX_ONE_EDIT_CHARS).then_some(OneEdit { term })
    }

    /// The term the edits are counted from (the word as typed).
    pub fn term(&self) -> String {
        self.term.iter().collect()
    }

    /// `edited` plus what dropping the character at `exact` reaches.
    fn with_drop(&self, exact: u8, edited: u128) -> u128 {
        if exact != NONE && (exact as usize) < self.term.len() {
            edited | 1u128 << (exact + 1)
        } else {
            edited
        }
    }

    fn step(&self, s: &OneEditState, c: char) -> OneEditState {
        let t = &self.term;
        let n = t.len();
        let mut next = OneEditState {
            exact: NONE,
            swapped: NONE,
            edited: 0,
            pending: [0; 4],
            pending_len: 0,
        };
        // Edited positions advance on the term's own character only.
        let before = self.with_drop(s.exact, s.edited);
        for i in 0..n {
            if before & (1u128 << i) != 0 && t[i] == c {
                next.edited |= 1u128 << (i + 1);
            }
        }
        if s.swapped != NONE && t[s.swapped as usize] == c {
            next.edited |= 1u128 << (s.swapped + 2);
        }
        if s.exact != NONE {
            let i = s.exact as usize;
            if i < n && t[i] == c {
                next.exact = s.exact + 1;
            }
            if typo_char(c) {
                // Inserted before position i; or replacing term[i].
                next.edited |= 1u128 << i;
                if i < n {
                    next.edited |= 1u128 << (i + 1);
                }
            }
            if i + 1 < n && t[i + 1] == c {
                next.swapped = s.exact;
            }
        }
        next
    }

    fn alive(s: &OneEditState) -> bool {
        s.exact != NONE || s.swapped != NONE || s.edited != 0
    }
}

impl Automaton for OneEdit {
    type State = OneEditState;

    fn start(&self) -> Self::State {
        OneEditState {
            exact: 0,
            swapped: NONE,
            edited: 0,
            pending: [0; 4],
            pending_len: 0,
        }
    }

    fn is_match(&self, s: &Self::State) -> bool {
        let n = self.term.len();
        s.pending_len == 0 && self.with_drop(s.exact, s.edited) & (1u128 << n) != 0
    }

    fn can_match(&self, s: &Self::State) -> bool {
        Self::alive(s)
    }

    fn accept(&self, s: &Self::State, byte: u8) -> Self::State {
        let mut s = *s;
        if !Self::alive(&s) {
            return s;
        }
        let len = s.pending_len as usize;
        if len >= 4 {
            return self.dead();
        }
        s.pending[len] = byte;
        s.pending_len += 1;
        match std::str::from_utf8(&s.pending[..s.pending_len as usize]) {
            Ok(text) => {
                let c = text.chars().next().unwrap_or('\0');
                self.step(&s, c)
            }
            Err(e) if e.error_len().is_none() => s,
            Err(_) => self.dead(),
        }
    }
}

impl OneEdit {
    fn dead(&self) -> OneEditState {
        OneEditState {
            exact: NONE,
            swapped: NONE,
            edited: 0,
            pending: [0; 4],
            pending_len: 0,
        }
    }
}

/// The term automata a query can hold besides exact terms; a lazily read
/// index enumerates their terms ahead (see `Engine::prefetch`).
#[derive(Debug, Clone)]
pub enum Matcher {
    Prefix(Prefix),
    OneEdit(OneEdit),
}

#[derive(Debug, Clone, Copy)]
pub enum MatcherState {
    Prefix(Option<usize>),
    OneEdit(OneEditState),
}

impl Automaton for Matcher {
    type State = MatcherState;

    fn start(&self) -> MatcherState {
        match self {
            Matcher::Prefix(a) => MatcherState::Prefix(a.start()),
            Matcher::OneEdit(a) => MatcherState::OneEdit(a.start()),
        }
    }

    fn is_match(&self, state: &MatcherState) -> bool {
        match (self, state) {
            (Matcher::Prefix(a), MatcherState::Prefix(s)) => a.is_match(s),
            (Matcher::OneEdit(a), MatcherState::OneEdit(s)) => a.is_match(s),
            _ => false,
        }
    }

    fn can_match(&self, state: &MatcherState) -> bool {
        match (self, state) {
            (Matcher::Prefix(a), MatcherState::Prefix(s)) => a.can_match(s),
            (Matcher::OneEdit(a), MatcherState::OneEdit(s)) => a.can_match(s),
            _ => false,
        }
    }

    fn accept(&self, state: &MatcherState, byte: u8) -> MatcherState {
        match (self, state) {
            (Matcher::Prefix(a), MatcherState::Prefix(s)) => {
                MatcherState::Prefix(a.accept(s, byte))
            }
            (Matcher::OneEdit(a), MatcherState::OneEdit(s)) => {
                MatcherState::OneEdit(a.accept(s, byte))
            }
            _ => *state,
        }
    }
}

/// Every term of `field` that `matcher` accepts, scored as tantivy's
/// `RegexQuery` scores (an `AutomatonWeight`: constant score per doc).
#[derive(Debug, Clone)]
pub struct MatcherQuery {
    field: Field,
    matcher: Arc<Matcher>,
}

impl MatcherQuery {
    pub fn new(field: Field, matcher: Matcher) -> MatcherQuery {
        MatcherQuery {
            field,
            matcher: Arc::new(matcher),
        }
    }
}

impl Query for MatcherQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<Matcher>::new(
            self.field,
            self.matcher.clone(),
        )))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::query::one_edit_pattern;
    use crate::query::regex_escape;
    use proptest::prelude::*;

    /// Whether `a` accepts `text`, byte by byte as the term dictionary walks it.
    pub(crate) fn run<A: Automaton>(a: &A, text: &str) -> bool {
        let mut state = a.start();
        for &b in text.as_bytes() {
            if !a.can_match(&state) {
                return false;
            }
            state = a.accept(&state, b);
        }
        a.is_match(&state)
    }

    /// Words that resemble a term: the term, its one- and two-edit neighbours
    /// (from a small alphabet that also holds characters outside the typo set).
    fn neighbours(term: &str) -> Vec<String> {
        let alphabet = ['a', 'e', '0', '4', '-', '.', 'X', '压', '\n', 'é'];
        let chars: Vec<char> = term.chars().collect();
        let mut out = vec![term.to_string(), String::new()];
        let one = |chars: &[char]| -> Vec<Vec<char>> {
            let mut v = Vec::new();
            for i in 0..=chars.len() {
                for &a in &alphabet {
                    let mut w = chars.to_vec();
                    w.insert(i, a);
                    v.push(w);
                    if i < chars.len() {
                        let mut w = chars.to_vec();
                        w[i] = a;
                        v.push(w);
                    }
                }
                if i < chars.len() {
                    let mut w = chars.to_vec();
                    w.remove(i);
                    v.push(w);
                }
                if i + 1 < chars.len() {
                    let mut w = chars.to_vec();
                    w.swap(i, i + 1);
                    v.push(w);
                }
            }
            v
        };
        for w in one(&chars) {
            for w2 in one(&w).into_iter().step_by(7) {
                out.push(w2.into_iter().collect());
            }
            out.push(w.into_iter().collect());
        }
        out
    }

    const TERMS: &[&str] = &[
        "e04",
        "xr200",
        "xr-200",
        "abc",
        "aab",
        "abba",
        "ab",
        "a",
        "",
        "e4e4",
        "压缩机",
        "x压",
        "zz",
        "a.b",
        "aaaa",
        "ee",
    ];

    #[test]
    fn prefix_matches_what_the_regex_matched() {
        for &term in TERMS {
            let regex = tantivy_fst::Regex::new(&format!("{}.*", regex_escape(term))).unwrap();
            let ours = Prefix::new(term);
            for t in neighbours(term).iter().chain(neighbours("xr2").iter()) {
                assert_eq!(run(&ours, t), run(&regex, t), "{term} on {t:?}");
            }
        }
    }

    #[test]
    fn one_edit_matches_what_the_regex_matched() {
        for &term in TERMS {
            let regex = tantivy_fst::Regex::new(&one_edit_pattern(term)).unwrap();
            let ours = OneEdit::new(term).unwrap();
            for t in neighbours(term) {
                assert_eq!(run(&ours, &t), run(&regex, &t), "{term} on {t:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn one_edit_agrees_with_the_regex_on_random_words(
            term in "[a-e0-2\\-é]{0,6}",
            word in "[a-e0-2\\-é压\n]{0,7}",
        ) {
            let regex = tantivy_fst::Regex::new(&one_edit_pattern(&term)).unwrap();
            let ours = OneEdit::new(&term).unwrap();
            prop_assert_eq!(run(&ours, &word), run(&regex, &word));
            let regex = tantivy_fst::Regex::new(&format!("{}.*", regex_escape(&term))).unwrap();
            prop_assert_eq!(run(&Prefix::new(&term), &word), run(&regex, &word));
        }
    }
}
