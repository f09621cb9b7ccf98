//! Text analysis shared by the indexer and the query side.
//!
//! Chinese has no spaces, and a dictionary segmenter (jieba) costs ~2.4 MB gzipped
//! in wasm and disagrees with itself between index and query time. Overlapping
//! Han bigrams need no dictionary, and because every bigram gets its own position,
//! a phrase query over the bigrams of `不制冷` (`不制`, `制冷`) matches exactly the
//! pages where those characters are contiguous.
//!
//! ASCII words are lowercased. Codes such as `XR-200` or `E-102` are kept whole and
//! also emitted joined (`xr200`, so `XR200` finds `XR-200`) and in parts (`xr`,
//! `200`), all at the whole code's position so phrases around a code still line up.
//!
//! Offsets always point into the caller's original text (before normalisation),
//! so highlighting works on what the reader sees.

use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};

use crate::t2s;

/// Name under which [`ZhTokenizer`] is registered on the index.
pub const ZH_TOKENIZER: &str = "svcbook_zh";
/// Name under which [`CodeTokenizer`] is registered on the index.
pub const CODE_TOKENIZER: &str = "svcbook_code";
/// Name under which [`CharTokenizer`] is registered on the index.
pub const CHAR_TOKENIZER: &str = "svcbook_char";

/// Longest token kept, in bytes; longer runs are hashes or pasted blobs, never searched for.
const MAX_TOKEN_BYTES: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An overlapping pair of Han (or kana/hangul) characters, or a lone one.
    Han,
    /// A lowercased word or a code exactly as written (`xr-200`).
    Word,
    /// A code with its `-`/`_` removed (`xr200`), same position as the word.
    Joined,
    /// One piece of a code (`xr`, `200`), same position as the word.
    Part,
}

/// One analysed token; `from..to` is a byte range of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub from: usize,
    pub to: usize,
    pub position: usize,
    pub kind: TokenKind,
}

/// Folds full-width ASCII and the ideographic space to half-width, unifies the
/// dash family, and maps Traditional characters to Simplified. One char in, one
/// char out, so byte offsets of the original text stay meaningful.
pub fn normalize_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => '-',
        _ => t2s::simplify(c),
    }
}

/// Han ideographs plus kana and hangul: scripts written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F
        | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xAC00..=0xD7AF)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Characters that join the pieces of a code: `XR-200`, `E_04`, `v1.2`, `A/B`.
fn is_connector(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | '/')
}

/// Lowercases a normalised word.
fn push_lower(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        out.extend(c.to_lowercase());
    }
}

/// The exact-match key of a code: normalised, lowercased, alphanumerics only.
/// `XR-200`, `ＸＲ２００` and `xr200` all give `xr200`.
pub fn code_key(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().map(normalize_char) {
        if is_word_char(c) || is_cjk(c) {
            push_lower(&mut out, c);
        }
    }
    out
}

/// The code key with the leading zeros of each number dropped (`e04` → `e4`),
/// when that differs: `E4` typed for `E04` is the same code. Indexed next to the
/// key; a query looks up its own key's form too.
pub fn code_key_unpadded(key: &str) -> Option<String> {
    let mut out = String::with_capacity(key.len());
    let mut prev_digit = false;
    let chars: Vec<char> = key.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c == '0' && !prev_digit && next_digit {
            continue;
        }
        prev_digit = c.is_ascii_digit();
        out.push(c);
    }
    (out != key && !out.is_empty()).then_some(out)
}

/// A code key with the letters people type for look-alike digits fixed:
/// `o` after a digit is `0`, `l` and `i` after a digit are `1` (`xr2oo` →
/// `xr200`). Query side only: a code never holds these after a digit in the
/// demo, and a miss just falls back to the key as typed.
pub fn code_key_confusables(key: &str) -> Option<String> {
    let mut out = String::with_capacity(key.len());
    let mut prev_digit = false;
    for c in key.chars() {
        let fixed = match c {
            'o' if prev_digit => '0',
            'l' | 'i' if prev_digit => '1',
            _ => c,
        };
        prev_digit = fixed.is_ascii_digit();
        out.push(fixed);
    }
    (out != key).then_some(out)
}

/// Analyses `text` into tokens with positions and original-text byte offsets.
pub fn analyze(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    analyze_each(text, |t, from, to, position, kind| {
        tokens.push(Token {
            text: t.to_string(),
            from,
            to,
            position,
            kind,
        })
    });
    tokens
}

/// The one analysis both [`analyze`] and the indexing token streams use:
/// calls `emit(text, from, to, position, kind)` for each token in order. The
/// text is lent, so indexing a body allocates nothing per token.
pub fn analyze_each(text: &str, mut emit: impl FnMut(&str, usize, usize, usize, TokenKind)) {
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .map(|(i, c)| (i, normalize_char(c)))
        .collect();
    let end_of = |idx: usize| chars.get(idx).map(|&(off, _)| off).unwrap_or(text.len());
    let mut scratch = String::with_capacity(8);
    let mut position = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i].1) {
                i += 1;
            }
            if i - start == 1 {
                scratch.clear();
                scratch.push(c);
                emit(
                    &scratch,
                    chars[start].0,
                    end_of(start + 1),
                    position,
                    TokenKind::Han,
                );
                position += 1;
            } else {
                for j in start..i - 1 {
                    scratch.clear();
                    scratch.push(chars[j].1);
                    scratch.push(chars[j + 1].1);
                    emit(
                        &scratch,
                        chars[j].0,
                        end_of(j + 2),
                        position,
                        TokenKind::Han,
                    );
                    position += 1;
                }
            }
        } else if is_word_char(c) {
            let start = i;
            // A connector belongs to the word only between two word characters,
            // so `end.` and `-5` keep their punctuation out.
            while i < chars.len()
                && (is_word_char(chars[i].1)
                    || (is_connector(chars[i].1)
                        && i + 1 < chars.len()
                        && is_word_char(chars[i + 1].1)))
            {
                i += 1;
            }
            if emit_word(&chars[start..i], end_of(i), position, &mut emit) {
                position += 1;
            }
        } else {
            i += 1;
        }
    }
}

/// Emits the word `run` (ending at byte `end`) and, for codes, its joined form and parts.
/// Returns whether anything was emitted.
fn emit_word(
    run: &[(usize, char)],
    end: usize,
    position: usize,
    emit: &mut impl FnMut(&str, usize, usize, usize, TokenKind),
) -> bool {
    let from = run[0].0;
    let mut whole = String::new();
    for &(_, c) in run {
        push_lower(&mut whole, c);
    }
    if whole.len() > MAX_TOKEN_BYTES {
        return false;
    }
    emit(&whole, from, end, position, TokenKind::Word);
    if !run.iter().any(|&(_, c)| is_connector(c)) {
        return true;
    }
    // Only `-` and `_` are spelling variants of a code (`E-04` = `E04`); joining
    // across `.` or `/` would turn `1.5` into `15`.
    if run.iter().all(|&(_, c)| !matches!(c, '.' | '/')) {
        let joined: String = whole.chars().filter(|c| !is_connector(*c)).collect();
        emit(&joined, from, end, position, TokenKind::Joined);
    }
    let mut k = 0;
    while k < run.len() {
        if is_connector(run[k].1) {
            k += 1;
            continue;
        }
        let part_start = k;
        let mut part = String::new();
        while k < run.len() && !is_connector(run[k].1) {
            push_lower(&mut part, run[k].1);
            k += 1;
        }
        let part_end = run.get(k).map(|&(off, _)| off).unwrap_or(end);
        emit(
            &part,
            run[part_start].0,
            part_end,
            position,
            TokenKind::Part,
        );
    }
    true
}

/// The tokens a query matches by, one per position: the joined form of a code
/// (present in the index for both `E04` and `E-04`), else the token itself.
pub fn query_tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for t in analyze(text) {
        match t.kind {
            TokenKind::Part => {}
            TokenKind::Joined => {
                if let Some(last) = out.last_mut() {
                    if last.position == t.position {
                        *last = t;
                        continue;
                    }
                }
                out.push(t);
            }
            TokenKind::Han | TokenKind::Word => out.push(t),
        }
    }
    out
}

/// Tokens of one field value, their texts end to end in one buffer. The
/// buffers belong to the tokenizer and are reused for every value it sees, so
/// indexing does not allocate per token (that was a fifth of the index stage).
#[derive(Clone, Default)]
pub struct TokenBuffers {
    texts: String,
    /// (end of the token's text in `texts`, offset_from, offset_to, position).
    spans: Vec<(usize, usize, usize, usize)>,
    token: TantivyToken,
}

impl TokenBuffers {
    fn start(&mut self) -> &mut Self {
        self.texts.clear();
        self.spans.clear();
        self
    }

    fn push(&mut self, text: &str, from: usize, to: usize, position: usize) {
        self.texts.push_str(text);
        self.spans.push((self.texts.len(), from, to, position));
    }

    fn stream(&mut self) -> BufferTokenStream<'_> {
        BufferTokenStream {
            buffers: self,
            next: 0,
            text_at: 0,
        }
    }
}

/// Replays a [`TokenBuffers`] through one reused `TantivyToken`.
pub struct BufferTokenStream<'a> {
    buffers: &'a mut TokenBuffers,
    next: usize,
    text_at: usize,
}

impl TokenStream for BufferTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let b = &mut *self.buffers;
        let Some(&(end, from, to, position)) = b.spans.get(self.next) else {
            return false;
        };
        b.token.text.clear();
        b.token.text.push_str(&b.texts[self.text_at..end]);
        b.token.offset_from = from;
        b.token.offset_to = to;
        b.token.position = position;
        b.token.position_length = 1;
        self.text_at = end;
        self.next += 1;
        true
    }
    fn token(&self) -> &TantivyToken {
        &self.buffers.token
    }
    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.buffers.token
    }
}

/// tantivy adapter for [`analyze_each`].
#[derive(Clone, Default)]
pub struct ZhTokenizer(TokenBuffers);

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = BufferTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferTokenStream<'a> {
        let buffers = self.0.start();
        analyze_each(text, |t, from, to, position, _| {
            buffers.push(t, from, to, position)
        });
        buffers.stream()
    }
}

/// One token per value: its [`code_key`]. Used for exact code and tag fields.
#[derive(Clone, Default)]
pub struct CodeTokenizer(TokenBuffers);

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = BufferTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferTokenStream<'a> {
        let buffers = self.0.start();
        let key = code_key(text);
        if !key.is_empty() && key.len() <= MAX_TOKEN_BYTES {
            buffers.push(&key, 0, text.len(), 0);
        }
        buffers.stream()
    }
}

/// Every CJK character on its own, positions omitted. Feeds the low-weight
/// fallback field that lets `箱子破了` still reach a page that says `外箱破损`,
/// where no bigram is shared (what CJKAnalyzer's `outputUnigrams` is for).
#[derive(Clone, Default)]
pub struct CharTokenizer(TokenBuffers);

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = BufferTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferTokenStream<'a> {
        let buffers = self.0.start();
        let mut utf8 = [0u8; 4];
        let cjk = text
            .char_indices()
            .map(|(i, c)| (i, c, normalize_char(c)))
            .filter(|&(_, _, n)| is_cjk(n));
        for (position, (i, c, n)) in cjk.enumerate() {
            buffers.push(n.encode_utf8(&mut utf8), i, i + c.len_utf8(), position);
        }
        buffers.stream()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<(&str, usize)> {
        tokens
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect()
    }

    #[test]
    fn han_bigrams_overlap_with_positions_and_offsets() {
        let text = "压缩机不制冷";
        let tokens = analyze(text);
        assert_eq!(
            texts(&tokens),
            vec![
                ("压缩", 0),
                ("缩机", 1),
                ("机不", 2),
                ("不制", 3),
                ("制冷", 4)
            ]
        );
        for t in &tokens {
            assert_eq!(&text[t.from..t.to], t.text, "offsets must cover the bigram");
        }
        assert_eq!((tokens[4].from, tokens[4].to), (12, 18));
    }

    #[test]
    fn lone_han_char_is_a_unigram() {
        assert_eq!(texts(&analyze("修 E04")), vec![("修", 0), ("e04", 1)]);
    }

    #[test]
    fn codes_are_whole_joined_and_in_parts_at_one_position() {
        let tokens = analyze("XR-200 噪音");
        assert_eq!(
            texts(&tokens),
            vec![
                ("xr-200", 0),
                ("xr200", 0),
                ("xr", 0),
                ("200", 0),
                ("噪音", 1)
            ]
        );
        let part = &tokens[3];
        assert_eq!((part.from, part.to), (3, 6));
        assert_eq!(tokens[0].kind, TokenKind::Word);
        assert_eq!(tokens[1].kind, TokenKind::Joined);
    }

    #[test]
    fn error_codes_lowercase_and_match_their_spellings() {
        assert_eq!(texts(&analyze("e04")), vec![("e04", 0)]);
        assert_eq!(
            texts(&analyze("E-102")),
            vec![("e-102", 0), ("e102", 0), ("e", 0), ("102", 0)]
        );
        // The query side matches by the joined form, which both spellings index.
        assert_eq!(query_tokens("E-102")[0].text, "e102");
        assert_eq!(query_tokens("E102")[0].text, "e102");
    }

    #[test]
    fn trailing_and_leading_connectors_stay_out_of_words() {
        assert_eq!(
            texts(&analyze("end. -5 a-")),
            vec![("end", 0), ("5", 1), ("a", 2)]
        );
        // Decimals keep their parts but are never joined into another number.
        assert_eq!(texts(&analyze("1.5")), vec![("1.5", 0), ("1", 0), ("5", 0)]);
    }

    #[test]
    fn full_width_forms_fold_to_half_width_with_original_offsets() {
        let text = "ＸＲ－２００　Ｅ０４";
        let tokens = analyze(text);
        assert_eq!(tokens[0].text, "xr-200");
        assert_eq!((tokens[0].from, tokens[0].to), (0, 18));
        let e04 = tokens.iter().find(|t| t.text == "e04").unwrap();
        assert_eq!(&text[e04.from..e04.to], "Ｅ０４");
        assert_eq!(code_key("ＸＲ－２００"), "xr200");
    }

    #[test]
    fn mixed_chinese_and_english_keep_one_position_sequence() {
        let tokens = analyze("XR-200空调E04报警，请联系Service");
        let primary: Vec<_> = tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Han))
            .collect();
        let seq: Vec<_> = primary
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect();
        assert_eq!(
            seq,
            vec![
                ("xr-200", 0),
                ("空调", 1),
                ("e04", 2),
                ("报警", 3),
                ("请联", 4),
                ("联系", 5),
                ("service", 6)
            ]
        );
    }

    #[test]
    fn traditional_input_matches_simplified() {
        assert_eq!(texts(&analyze("機器錯誤")), texts(&analyze("机器错误")));
    }

    #[test]
    fn char_tokenizer_emits_each_cjk_char_once_normalised() {
        let mut tok = CharTokenizer::default();
        let mut stream = tok.token_stream("外箱 E04 破損");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push(stream.token().text.clone());
        }
        assert_eq!(seen, vec!["外", "箱", "破", "损"]);
    }

    #[test]
    fn code_keys_unpadded_and_confusables() {
        assert_eq!(code_key_unpadded("e04").as_deref(), Some("e4"));
        assert_eq!(code_key_unpadded("e004x07").as_deref(), Some("e4x7"));
        assert_eq!(code_key_unpadded("xr200"), None);
        assert_eq!(code_key_unpadded("e102"), None);
        assert_eq!(code_key_unpadded("e0"), None);
        assert_eq!(code_key_confusables("xr2oo").as_deref(), Some("xr200"));
        assert_eq!(code_key_confusables("e1o2").as_deref(), Some("e102"));
        assert_eq!(code_key_confusables("hello"), None);
    }

    #[test]
    fn zh_token_stream_replays_analyze_and_reuses_its_buffers() {
        let mut tok = ZhTokenizer::default();
        for text in ["XR-200 压缩机不制冷，报E04。", "修", "", "開機 v1.2"] {
            let mut stream = tok.token_stream(text);
            let mut seen = Vec::new();
            while stream.advance() {
                let t = stream.token();
                seen.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
            }
            let expected: Vec<_> = analyze(text)
                .into_iter()
                .map(|t| (t.text, t.from, t.to, t.position))
                .collect();
            assert_eq!(seen, expected, "{text}");
        }
    }

    #[test]
    fn code_tokenizer_emits_one_key() {
        let mut tok = CodeTokenizer::default();
        let mut stream = tok.token_stream("XR-200");
        assert!(stream.advance());
        assert_eq!(stream.token().text, "xr200");
        assert!(!stream.advance());
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn mixed_text() -> impl Strategy<Value = String> {
            let pieces = prop_oneof![
                "[\\u{4e00}-\\u{4e20}]{1,6}",
                "[A-Za-z0-9]{1,6}",
                "[-_./ ，。]{1,3}",
                "[\\u{ff01}-\\u{ff5e}]{1,4}",
                any::<String>(),
            ];
            prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
        }

        proptest! {
            #[test]
            fn offsets_on_char_boundaries_and_positions_monotonic(text in mixed_text()) {
                let tokens = analyze(&text);
                let mut last_pos = 0;
                let mut last_from = 0;
                for t in &tokens {
                    prop_assert!(text.is_char_boundary(t.from) && text.is_char_boundary(t.to));
                    prop_assert!(t.from < t.to && t.to <= text.len());
                    prop_assert!(t.position >= last_pos);
                    // tantivy's snippet code subtracts earlier starts from later ends.
                    prop_assert!(t.to >= last_from);
                    prop_assert!(!t.text.is_empty());
                    last_pos = t.position;
                    last_from = t.from;
                }
                let q = query_tokens(&text);
                prop_assert!(q.windows(2).all(|w| w[0].position < w[1].position));
            }

            #[test]
            fn code_key_never_panics_and_is_lowercase(text in any::<String>()) {
                let key = code_key(&text);
                prop_assert!(!key.chars().any(|c| c.is_ascii_uppercase()));
            }
        }
    }
}
