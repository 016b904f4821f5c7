//! A Python tokenizer just good enough to find top-level statements: strings (with prefixes,
//! triple quotes and f-string replacement fields), brackets, line continuations and comments.

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Name(String),
    /// A plain, raw or unicode string literal, escapes applied.
    Str(String),
    /// An f-string or bytes literal: not a value devctl can use.
    OtherStr,
    Op(String),
    /// Numbers and anything else.
    Other(String),
}

impl Tok {
    pub(super) fn describe(&self) -> String {
        match self {
            Tok::Name(name) => format!("`{name}`"),
            Tok::Str(s) => format!("the string {s:?}"),
            Tok::OtherStr => "an f-string or bytes literal".into(),
            Tok::Op(op) | Tok::Other(op) => format!("`{op}`"),
        }
    }
}

/// One unindented logical line (or one `;`-separated part of it).
#[derive(Debug)]
pub(super) struct Statement {
    pub line: usize,
    pub tokens: Vec<Tok>,
}

const OPS3: [&str; 5] = ["**=", "//=", ">>=", "<<=", "..."];
const OPS2: [&str; 19] = [
    "==", "!=", "<=", ">=", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "->", "**",
    "//", "<<", ">>",
];

/// The statements that start at column 0, outside any bracket, string or indented block. A
/// module docstring is one such statement (a lone string), so its text is never read as code.
/// Errors carry the 1-based line.
pub(super) fn top_level_statements(text: &str) -> Result<Vec<Statement>, (usize, String)> {
    // Windows line endings become plain newlines, so a backslash before one continues the line.
    let chars: Vec<char> = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .chars()
        .collect();
    let mut statements = Vec::new();
    let mut current: Vec<Tok> = Vec::new();
    let mut current_line = 1;
    let mut indented = false;
    let mut at_line_start = true;
    let mut depth = 0usize;
    let mut line = 1;
    let mut i = 0;

    let mut finish = |tokens: &mut Vec<Tok>, start: usize, indented: bool| {
        if !indented && !tokens.is_empty() {
            statements.push(Statement {
                line: start,
                tokens: std::mem::take(tokens),
            });
        }
        tokens.clear();
    };

    while i < chars.len() {
        if at_line_start {
            at_line_start = false;
            let mut j = i;
            while j < chars.len() && matches!(chars[j], ' ' | '\t' | '\x0c') {
                j += 1;
            }
            // Blank and comment-only lines do not start a statement.
            if j < chars.len() && !matches!(chars[j], '\n' | '\r' | '#') {
                indented = j > i;
                current_line = line;
            }
            i = j;
            continue;
        }
        let c = chars[i];
        match c {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\\' if matches!(chars.get(i + 1), Some('\n')) => {
                i += 2;
                line += 1;
            }
            '\n' => {
                i += 1;
                line += 1;
                if depth == 0 {
                    finish(&mut current, current_line, indented);
                    at_line_start = true;
                }
            }
            ' ' | '\t' | '\r' | '\x0c' => i += 1,
            '"' | '\'' => {
                let (tok, next, lines) = lex_string(&chars, i, "", line)?;
                current.push(tok);
                i = next;
                line += lines;
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if matches!(chars.get(i), Some('"' | '\'')) && is_string_prefix(&word) {
                    let (tok, next, lines) = lex_string(&chars, i, &word, line)?;
                    current.push(tok);
                    i = next;
                    line += lines;
                } else {
                    current.push(Tok::Name(word));
                }
            }
            c if c.is_ascii_digit() => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.'))
                {
                    i += 1;
                }
                current.push(Tok::Other(chars[start..i].iter().collect()));
            }
            _ => {
                let rest: String = chars[i..(i + 3).min(chars.len())].iter().collect();
                let op = OPS3
                    .iter()
                    .chain(OPS2.iter())
                    .find(|op| rest.starts_with(**op))
                    .map_or_else(|| c.to_string(), |op| (*op).to_string());
                i += op.chars().count();
                match op.as_str() {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => {
                        depth = depth
                            .checked_sub(1)
                            .ok_or_else(|| (line, format!("unmatched `{op}`")))?;
                    }
                    ";" if depth == 0 => {
                        finish(&mut current, current_line, indented);
                        continue;
                    }
                    _ => {}
                }
                current.push(Tok::Op(op));
            }
        }
    }
    finish(&mut current, current_line, indented);
    Ok(statements)
}

fn is_string_prefix(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "r" | "u" | "b" | "f" | "t" | "br" | "rb" | "fr" | "rf" | "tr" | "rt"
    )
}

/// Lexes the string literal whose opening quote is at `start`. Returns the token, the index after
/// the closing quote, and how many newlines it spanned.
fn lex_string(
    chars: &[char],
    start: usize,
    prefix: &str,
    line: usize,
) -> Result<(Tok, usize, usize), (usize, String)> {
    let prefix = prefix.to_ascii_lowercase();
    let raw = prefix.contains('r');
    let formatted = prefix.contains('f') || prefix.contains('t');
    let plain = !formatted && !prefix.contains('b');
    let quote = chars[start];
    let triple = chars.get(start + 1) == Some(&quote) && chars.get(start + 2) == Some(&quote);
    let mut i = start + if triple { 3 } else { 1 };
    let mut lines = 0;
    let mut value = String::new();
    loop {
        let Some(&c) = chars.get(i) else {
            return Err((line, "unterminated string literal".into()));
        };
        if c == quote
            && (!triple || (chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote)))
        {
            i += if triple { 3 } else { 1 };
            break;
        }
        match c {
            '\n' if !triple => return Err((line + lines, "unterminated string literal".into())),
            '\n' => {
                lines += 1;
                value.push(c);
                i += 1;
            }
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err((line + lines, "unterminated string literal".into()));
                };
                if next == '\n' {
                    lines += 1;
                }
                if raw {
                    value.push('\\');
                    value.push(next);
                } else {
                    match next {
                        '\n' => {}
                        'n' => value.push('\n'),
                        't' => value.push('\t'),
                        'r' => value.push('\r'),
                        '0' => value.push('\0'),
                        '\\' | '\'' | '"' => value.push(next),
                        other => {
                            value.push('\\');
                            value.push(other);
                        }
                    }
                }
                i += 2;
            }
            '{' if formatted && chars.get(i + 1) == Some(&'{') => i += 2,
            '{' if formatted => {
                let (next, spanned) = skip_replacement_field(chars, i + 1, line + lines)?;
                i = next;
                lines += spanned;
            }
            _ => {
                value.push(c);
                i += 1;
            }
        }
    }
    let tok = if plain {
        Tok::Str(value)
    } else {
        Tok::OtherStr
    };
    Ok((tok, i, lines))
}

/// Skips an f-string replacement field from just after its `{` to just after its `}`, stepping
/// over nested brackets and nested string literals (Python 3.12 allows the same quote inside).
fn skip_replacement_field(
    chars: &[char],
    mut i: usize,
    line: usize,
) -> Result<(usize, usize), (usize, String)> {
    let mut depth = 0usize;
    let mut lines = 0;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err((line, "unterminated f-string".into()));
        };
        match c {
            '\n' => {
                lines += 1;
                i += 1;
            }
            '(' | '[' | '{' => {
                depth += 1;
                i += 1;
            }
            '}' if depth == 0 => return Ok((i + 1, lines)),
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            '"' | '\'' => {
                let mut p = i;
                while p > 0 && (chars[p - 1].is_alphanumeric() || chars[p - 1] == '_') {
                    p -= 1;
                }
                let word: String = chars[p..i].iter().collect();
                let prefix = if is_string_prefix(&word) {
                    word
                } else {
                    String::new()
                };
                let (_, next, spanned) = lex_string(chars, i, &prefix, line + lines)?;
                i = next;
                lines += spanned;
            }
            _ => i += 1,
        }
    }
}
