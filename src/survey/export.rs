//! The raw device export (lossless, one file per device), its import, and merging by response id.
//!
//! File format `ilt-responses`: a JSON object
//!
//! ```text
//! {"format":"ilt-responses","format_version":2,"exported_at":"2024-06-30T12:00:00.000Z","device_label":"Tablet 3","definitions":[
//! {"id":"my-survey","version":2,"title":"…","sections":[…]}
//! ],"responses":[
//! {"v":1,"id":"…","i":"eoe-cpil","iv":1,"u":1719748800000,"s":true,"a":{…}},
//! {"v":1,"id":"…","i":"my-survey","iv":2,"u":1719748900000,"s":true,"a":{…}},
//! …
//! ]}
//! ```
//!
//! Each element of `responses` is exactly a stored record (see [`super::record`]), so the file holds
//! everything the device held, instrument id and version included, and older record versions
//! inside a file are migrated on import. `device_label` is optional. One response per line keeps
//! the file readable and easy to compare.
//!
//! `definitions` holds the definition of every custom survey the responses answer (a survey loaded
//! on the device, in the JSON of a definition file, [`Instrument::from_json`]), each once; the
//! built-in survey (any of its versions, [`builtin_instruments`]) is never written. With it the file is lossless for any
//! survey: the evaluator can check and read a response without having the survey.
//!
//! **Format versions.** Version 2 is version 1 plus the optional `definitions`. A file is written
//! as version 1 when it carries no definitions (every response answers the built-in survey), so
//! older builds, which read only version 1, still read it; a file with definitions is version 2, so
//! an older build says it was made by a newer version instead of rejecting a field it does not know.
//! This build reads both.
//!
//! Import is all or nothing: any problem (file, definition or response) means nothing is
//! imported, and every problem is listed, a response's with its position and id. Besides being
//! readable, each response must answer a survey that is built in or defined in the file, and each
//! answer must fit its question ([`Question::fault`](super::instrument::Question::fault), the
//! rules the answering flow checks): on the scale, a listed option, no option twice, the right
//! kind, a question the survey has, text no longer than `max_len` characters. A draft (never
//! submitted) may hold a text longer than `max_len`: the survey saves what the person types
//! before it checks the length, and drafts are not analysed. A definition in the file must pass
//! every check of a definition file, appear once, and not reuse the built-in survey's id and
//! version with other content; responses to a definition with problems are not checked further.

use super::instrument::{builtin_instrument, builtin_instruments, AnswerChecker, AnswerFault, Instrument};
use super::record::{decode_record_value, encode_record, CurrentRecord, Response, ResponseId};
use super::time::{format_iso8601, parse_iso8601};
use std::collections::btree_map::Entry;
use std::collections::{hash_map, BTreeMap, HashMap, HashSet};
use std::fmt;

/// The `format` value of a raw export file.
pub const RAW_FORMAT: &str = "ilt-responses";
/// The newest `format_version` this build reads and writes: a file with `definitions`.
pub const RAW_FORMAT_VERSION: u64 = 2;
/// The `format_version` of a file without `definitions`, which builds before version 2 read too.
pub const RAW_FORMAT_VERSION_WITHOUT_DEFINITIONS: u64 = 1;

/// The content of a raw export file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFile {
    /// When the file was made, Unix milliseconds (written as ISO 8601 UTC).
    pub exported_at: u64,
    /// Optional name of the device, chosen by the person exporting ("Tablet 3").
    pub device_label: Option<String>,
    /// The custom survey definitions the file carries, in file order (never the built-in one).
    pub definitions: Vec<Definition>,
    /// Every response, in the order given.
    pub responses: Vec<Response>,
}

/// A custom survey definition as a file or a device holds it: the definition, and the JSON text
/// it was read from. The text is what is written into export files, so the app needs no JSON
/// writer for definitions (that would add several KB to every module that exports). Two are the
/// same definition when their content is, however the text is laid out.
#[derive(Debug, Clone)]
pub struct Definition {
    instrument: Instrument,
    json: String,
}

impl Definition {
    /// Read a definition's text (its shape only: [`Instrument::problems`] says what rules it breaks).
    pub fn read(json: String) -> Result<Definition, serde_json::Error> {
        Ok(Definition { instrument: serde_json::from_str(&json)?, json })
    }

    /// Read a definition's text and check it ([`Instrument::from_json`]).
    pub fn checked(json: String) -> Result<Definition, super::instrument::DefinitionError> {
        Ok(Definition { instrument: Instrument::from_json(&json)?, json })
    }

    /// The definition.
    pub fn instrument(&self) -> &Instrument {
        &self.instrument
    }
}

impl std::ops::Deref for Definition {
    type Target = Instrument;
    fn deref(&self) -> &Instrument {
        &self.instrument
    }
}

impl PartialEq for Definition {
    fn eq(&self, other: &Definition) -> bool {
        self.instrument == other.instrument
    }
}

impl Eq for Definition {}

impl PartialEq<Instrument> for Definition {
    fn eq(&self, other: &Instrument) -> bool {
        &self.instrument == other
    }
}

/// A definition made in code (tests), with its JSON written by serde.
#[cfg(test)]
impl From<Instrument> for Definition {
    fn from(instrument: Instrument) -> Definition {
        Definition { json: serde_json::to_string(&instrument).expect("an instrument serialises"), instrument }
    }
}

/// What an export file can carry as a definition: its content and its JSON. [`Definition`]
/// writes the text it was read from; an [`Instrument`] (tests, tools) is serialised.
pub trait Carried {
    /// The definition.
    fn instrument(&self) -> &Instrument;
    /// Its JSON on one line.
    fn json_line(&self) -> String;
}

impl Carried for Definition {
    fn instrument(&self) -> &Instrument {
        &self.instrument
    }
    fn json_line(&self) -> String {
        // One line, whatever the layout it was loaded with (the file keeps one item a line).
        serde_json::from_str::<serde_json::Value>(&self.json).map_or_else(|_| self.json.clone(), |v| v.to_string())
    }
}

impl Carried for Instrument {
    fn instrument(&self) -> &Instrument {
        self
    }
    fn json_line(&self) -> String {
        serde_json::to_string(self).expect("an instrument serialises")
    }
}

/// Write a raw export file of responses to the built-in survey. A response to a custom survey is
/// written too, but the file will not import without its definition: use
/// [`export_raw_with_definitions`].
pub fn export_raw(
    responses: &[Response],
    exported_at_ms: u64,
    device_label: Option<&str>,
) -> String {
    export_raw_with_definitions::<Definition>(responses, &[], exported_at_ms, device_label)
}

/// Write a raw export file that carries, from `definitions`, each custom survey the responses
/// answer (once each, in the order given). Definitions no response answers, and any with the
/// built-in survey's id and version, are left out. Pass every definition the device or workspace
/// has: the file then imports wherever it goes.
pub fn export_raw_with_definitions<D: Carried>(
    responses: &[Response],
    definitions: &[D],
    exported_at_ms: u64,
    device_label: Option<&str>,
) -> String {
    let carried = definitions_answered(responses, definitions);
    let version = if carried.is_empty() {
        RAW_FORMAT_VERSION_WITHOUT_DEFINITIONS
    } else {
        RAW_FORMAT_VERSION
    };
    let mut out = format!(
        r#"{{"format":"{RAW_FORMAT}","format_version":{version},"exported_at":"{}""#,
        format_iso8601(exported_at_ms)
    );
    if let Some(label) = device_label {
        out.push_str(r#","device_label":"#);
        out.push_str(&serde_json::to_string(label).expect("a string serialises"));
    }
    if !carried.is_empty() {
        out.push_str(r#","definitions":"#);
        push_lines(
            &mut out,
            carried
                .iter()
                .map(|d| d.json_line()),
        );
    }
    out.push_str(r#","responses":"#);
    push_lines(&mut out, responses.iter().map(encode_record));
    out.push_str("}\n");
    out
}

/// Whether every raw export file of `responses` (whatever its definitions and label) is at least
/// `units` UTF-16 code units long, the unit the browser's storage quota counts: told from each
/// record's fixed fields and its answers' question ids (each answer is at least `"id":1`), without
/// writing the file, and stopping as soon as the total reaches `units`. The evaluator's save asks
/// this first: writing 100,000 responses (about 40 MB) only to learn that they do not fit in
/// 5 MB took longer than importing them.
pub fn raw_file_exceeds(responses: &[Response], units: usize) -> bool {
    // `{"v":1,"id":"<32 hex>","i":"","iv":1,"u":0,"a":{}}`: 74 ASCII characters, and the line
    // break before it; `,"s":true` once submitted.
    const RECORD: usize = 75;
    let mut total = 0usize;
    for r in responses {
        let answers: usize = r.answers.keys().map(|k| k.chars().count() + 5).sum();
        // A character is one or two UTF-16 units; the commas between answers are one fewer than them.
        total += RECORD + 9 * usize::from(r.submitted) + r.instrument_id.chars().count() + answers.saturating_sub(1);
        if total >= units {
            return true;
        }
    }
    false
}

/// A JSON list with one item a line.
fn push_lines(out: &mut String, items: impl Iterator<Item = String>) {
    out.push('[');
    for (i, item) in items.enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&item);
    }
    out.push_str("\n]");
}

/// The definitions some response answers, not built in, each (id, version) once, in the order
/// given. Vectors, not a map and a set: definitions are few, and those would add code to every
/// module that exports.
fn definitions_answered<'a, D: Carried>(
    responses: &[Response],
    definitions: &'a [D],
) -> Vec<&'a D> {
    let mut carried: Vec<&D> = Vec::new();
    for d in definitions {
        let k = key(d.instrument());
        if builtin_instrument(k.0, k.1).is_none()
            && !carried.iter().any(|c| key(c.instrument()) == k)
            && responses
                .iter()
                .any(|r| (r.instrument_id.as_str(), r.instrument_version) == k)
        {
            carried.push(d);
        }
    }
    carried
}

/// One problem found while importing. `number` is the response's position in the file, from 1
/// (`None` for a problem with the file as a whole, or with one of its definitions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Position of the response in the file, from 1.
    pub number: Option<usize>,
    /// The response's id as written, if it has one.
    pub id: Option<String>,
    /// What is wrong, in plain English.
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match (self.number, &self.id) {
            (Some(n), Some(id)) => write!(f, "Response {n} (id {id}): {}", self.message),
            (Some(n), None) => write!(f, "Response {n}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Why a file was not imported: every problem found. Nothing from the file was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors {
    /// The problems, file-level first, then by position.
    pub problems: Vec<ImportProblem>,
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        crate::text::write_import_problems(f, &self.problems)
    }
}

impl std::error::Error for ImportErrors {}

/// The responses of a file this build has just written, read back as stored records: the
/// device's check that its export holds exactly what it holds. No answer is checked against its
/// survey (the device's answers were checked as they were given; an evaluator's import is
/// [`import_raw`], which checks everything), so the survey module stays small.
pub fn read_back(text: &str) -> Option<Vec<Response>> {
    #[derive(serde::Deserialize)]
    struct Written {
        responses: Vec<CurrentRecord>,
    }
    let written: Written = serde_json::from_str(text).ok()?;
    Some(written.responses.into_iter().map(|CurrentRecord(r)| r).collect())
}

/// Read a raw export file (format version 1 or 2). All or nothing.
pub fn import_raw(text: &str) -> Result<RawFile, ImportErrors> {
    import_current(text).map_or_else(|| import_any(text), Ok)
}

/// The surveys a file's responses may answer: the built-in one and the file's usable definitions,
/// each with its answer checker, built once per file (not per response or answer).
struct Surveys<'a> {
    known: Vec<(&'a Instrument, AnswerChecker<'a>)>,
    /// Surveys defined in the file whose definition has problems (already reported).
    unusable: Vec<(&'a str, u32)>,
}

/// The id and version of a survey: what a response names in `i` and `iv`.
fn key(d: &Instrument) -> (&str, u32) {
    (d.id.as_str(), d.version)
}

/// Why a response's answers cannot be checked.
enum Unchecked {
    /// Its survey is neither built in nor in the file.
    Missing,
    /// Its survey's definition in the file has problems (reported on their own).
    Unusable,
}

impl<'a> Surveys<'a> {
    /// The built-in survey and the file's `definitions` (`usable[i]` says whether definition `i`
    /// passed [`definition_problems`]); `unreadable` are the surveys of definitions that could not
    /// be read at all.
    fn new(
        definitions: &'a [Definition],
        usable: &[bool],
        unreadable: &'a [(String, u32)],
    ) -> Self {
        let mut known: Vec<_> = builtin_instruments().iter().map(|d| (d, d.answer_checker())).collect();
        let mut unusable: Vec<(&str, u32)> =
            unreadable.iter().map(|(id, v)| (id.as_str(), *v)).collect();
        for (d, &ok) in definitions.iter().zip(usable) {
            let d = d.instrument();
            if !ok {
                unusable.push(key(d));
            } else if builtin_instrument(&d.id, d.version).is_none() {
                known.push((d, d.answer_checker()));
            }
        }
        Surveys { known, unusable }
    }

    /// The answers of `r` that do not fit its survey. A draft may hold an over-long text.
    fn check<'r>(
        &'r self,
        r: &'r Response,
    ) -> Result<impl Iterator<Item = (&'r str, AnswerFault)> + 'r, Unchecked> {
        let key = (r.instrument_id.as_str(), r.instrument_version);
        match self.known.iter().find(|(d, _)| self::key(d) == key) {
            Some((_, checker)) => Ok(checker
                .faults(&r.answers)
                .filter(|(_, f)| r.submitted || !matches!(f, AnswerFault::TooLong { .. }))),
            None if self.unusable.contains(&key) => Err(Unchecked::Unusable),
            None => Err(Unchecked::Missing),
        }
    }

    /// Whether `r` answers a known survey and every answer fits.
    fn fits(&self, r: &Response) -> bool {
        self.check(r)
            .is_ok_and(|mut faults| faults.next().is_none())
    }

    /// What is wrong with `r`'s answers, in plain English (empty when it fits).
    fn problems(&self, r: &Response) -> Vec<String> {
        let (survey, version) = (&r.instrument_id, r.instrument_version);
        match self.check(r) {
            Err(Unchecked::Unusable) => Vec::new(),
            Err(Unchecked::Missing) => vec![format!(
                "it answers survey '{survey}' version {version}, which is not built into this toolkit and is not included in the file. Export the responses again from a device that has that survey, with the latest version of the toolkit, so that the file includes it."
            )],
            Ok(faults) => faults
                .map(|(q, fault)| match fault {
                    AnswerFault::NoSuchQuestion => format!(
                        "it answers '{q}', which is not a question of survey '{survey}' version {version}."
                    ),
                    fault => format!("its answer to '{q}' does not fit the question: {fault}."),
                })
                .collect(),
        }
    }
}

/// Problems of a file's definitions, in plain English, and whether each is usable. Shared by both
/// import paths so they judge a file alike.
fn definition_problems(definitions: &[Definition], problems: &mut Vec<String>) -> Vec<bool> {
    definitions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let n = i + 1;
            let name = format!("Survey definition {n} in the file ('{}' version {})", d.id, d.version);
            let before = problems.len();
            problems.extend(d.problems().into_iter().map(|p| format!("{name}: {p}.")));
            if builtin_instrument(&d.id, d.version).is_some_and(|builtin| d != builtin) {
                problems.push(format!(
                    "{name} has the id and version of the built-in survey but different content. A changed survey needs its own id or a new version."
                ));
            }
            // A scan, not a map: definitions are few, and a map of this key type would add code.
            if let Some(m) = definitions[..i].iter().position(|e| key(e) == key(d)) {
                problems.push(format!(
                    "{name} is the same survey and version as definition {}: each survey may be defined once.",
                    m + 1
                ));
            }
            problems.len() == before
        })
        .collect()
}

/// The whole file as it should be: current format and records, nothing wrong. Reads records
/// directly, which is several times faster than going through `serde_json::Value`, and checks
/// each response's answers as soon as it is read, while its text is still in the processor's
/// cache (about three times faster than checking them all afterwards). Gives up (`None`) at the
/// first thing wrong, or when `definitions` comes after `responses` (this build writes it first),
/// and [`import_any`] says what.
fn import_current(text: &str) -> Option<RawFile> {
    let mut de = serde_json::Deserializer::from_str(text);
    let f = serde::Deserializer::deserialize_map(&mut de, FastFile).ok()?;
    de.end().ok()?;
    let exported_at = parse_iso8601(&f.exported_at)?;
    let version_fits = match f.format_version {
        RAW_FORMAT_VERSION_WITHOUT_DEFINITIONS => f.definitions.is_none(),
        v => v == RAW_FORMAT_VERSION,
    };
    let mut ids = HashSet::with_capacity(f.responses.len());
    let fine =
        f.format == RAW_FORMAT && version_fits && f.responses.iter().all(|r| ids.insert(&r.id));
    drop(ids);
    fine.then(|| RawFile {
        exported_at,
        device_label: f.device_label,
        definitions: without_builtin(f.definitions.unwrap_or_default()),
        responses: f.responses,
    })
}

/// The fields of a file as [`import_current`] reads them.
struct Fields {
    format: String,
    format_version: u64,
    exported_at: String,
    device_label: Option<String>,
    definitions: Option<Vec<Definition>>,
    responses: Vec<Response>,
}

/// Reads the top-level object for [`import_current`]: every field once, none unknown, usable
/// definitions, and responses that answer them correctly.
struct FastFile;

impl<'de> serde::de::Visitor<'de> for FastFile {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a responses file")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        use serde::de::Error;
        fn once<T, E: Error>(slot: &mut Option<T>, value: T) -> Result<(), E> {
            match slot.replace(value) {
                None => Ok(()),
                Some(_) => Err(E::custom("a field appears twice")),
            }
        }
        let (mut format, mut format_version, mut exported_at) = (None, None, None);
        let (mut device_label, mut definitions, mut responses) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => once(&mut format, map.next_value::<String>()?)?,
                "format_version" => once(&mut format_version, map.next_value::<u64>()?)?,
                "exported_at" => once(&mut exported_at, map.next_value::<String>()?)?,
                "device_label" => once(&mut device_label, map.next_value::<Option<String>>()?)?,
                "definitions" if responses.is_none() => {
                    // Each kept as its text too (see [`Definition`]).
                    let raw = map.next_value::<Option<Vec<Box<serde_json::value::RawValue>>>>()?;
                    let read = raw
                        .map(|list| list.into_iter().map(|d| Definition::read(d.get().to_owned())).collect::<Result<Vec<_>, _>>())
                        .transpose()
                        .map_err(A::Error::custom)?;
                    once(&mut definitions, read)?
                }
                "responses" => {
                    let defined = definitions
                        .as_ref()
                        .and_then(Option::as_deref)
                        .unwrap_or(&[]);
                    let usable = definition_problems(defined, &mut Vec::new());
                    if !usable.iter().all(|&ok| ok) {
                        return Err(A::Error::custom("a definition has problems"));
                    }
                    let surveys = Surveys::new(defined, &usable, &[]);
                    once(
                        &mut responses,
                        map.next_value_seed(CheckedResponses(&surveys))?,
                    )?
                }
                _ => return Err(A::Error::custom("not a field of a well-formed file")),
            }
        }
        let missing = || A::Error::custom("a field is missing");
        Ok(Fields {
            format: format.ok_or_else(missing)?,
            format_version: format_version.ok_or_else(missing)?,
            exported_at: exported_at.ok_or_else(missing)?,
            device_label: device_label.flatten(),
            definitions: definitions.flatten(),
            responses: responses.ok_or_else(missing)?,
        })
    }
}

/// The `responses` list for [`import_current`]: current records, each answering one of `surveys`
/// with every answer fitting.
struct CheckedResponses<'s, 'a>(&'s Surveys<'a>);

impl<'de> serde::de::DeserializeSeed<'de> for CheckedResponses<'_, '_> {
    type Value = Vec<Response>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<Response>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for CheckedResponses<'_, '_> {
    type Value = Vec<Response>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of responses")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<Vec<Response>, A::Error> {
        let mut responses = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(CurrentRecord(r)) = seq.next_element()? {
            if !self.0.fits(&r) {
                return Err(serde::de::Error::custom("an answer does not fit"));
            }
            responses.push(r);
        }
        Ok(responses)
    }
}

/// A file's definitions as [`RawFile::definitions`] holds them: a copy of the built-in one (the
/// same content, or it would have been a problem) is dropped.
fn without_builtin(mut definitions: Vec<Definition>) -> Vec<Definition> {
    definitions.retain(|d| builtin_instrument(&d.id, d.version).is_none());
    definitions
}

/// Any file: migrates older records, and when anything is wrong lists every problem.
fn import_any(text: &str) -> Result<RawFile, ImportErrors> {
    let file_problem = |message: String| ImportErrors {
        problems: vec![ImportProblem {
            number: None,
            id: None,
            message,
        }],
    };
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| file_problem(format!("The file is not valid JSON ({e}).")))?;
    let mut top = match value {
        serde_json::Value::Object(top)
            if top.get("format").and_then(|f| f.as_str()) == Some(RAW_FORMAT) =>
        {
            top
        }
        _ => {
            return Err(file_problem(format!(
            "This is not a responses file from this toolkit: its 'format' is not '{RAW_FORMAT}'."
        )))
        }
    };
    let mut file_problems = Vec::new();
    let has_definitions = !matches!(top.get("definitions"), None | Some(serde_json::Value::Null));
    match top.get("format_version").and_then(|v| v.as_u64()) {
        Some(RAW_FORMAT_VERSION_WITHOUT_DEFINITIONS) if has_definitions => file_problems.push(format!(
            "The file has survey definitions but says it is format version {RAW_FORMAT_VERSION_WITHOUT_DEFINITIONS}: a file with definitions is version {RAW_FORMAT_VERSION}."
        )),
        Some(RAW_FORMAT_VERSION_WITHOUT_DEFINITIONS | RAW_FORMAT_VERSION) => {}
        Some(v) if v > RAW_FORMAT_VERSION => file_problems.push(format!(
            "The file was made by a newer version of the toolkit (format version {v}; this version reads up to {RAW_FORMAT_VERSION}). Update the app to import it."
        )),
        _ => file_problems.push("The file's 'format_version' is missing or not a version this toolkit knows.".into()),
    }
    let exported_at = top
        .get("exported_at")
        .and_then(|t| t.as_str())
        .and_then(parse_iso8601);
    if exported_at.is_none() {
        file_problems
            .push("The file's 'exported_at' is missing or not an ISO 8601 date and time.".into());
    }
    let device_label = match top.get("device_label") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(_) => {
            file_problems.push("The file's 'device_label' is not text.".into());
            None
        }
    };
    for unknown in top.keys().filter(|k| {
        ![
            "format",
            "format_version",
            "exported_at",
            "device_label",
            "definitions",
            "responses",
        ]
        .contains(&k.as_str())
    }) {
        file_problems.push(format!(
            "The file has a field '{unknown}' that this toolkit does not know."
        ));
    }
    // Definitions: those that cannot be read at all are reported here, the rest by the checks
    // both paths share.
    let mut definitions = Vec::new();
    let mut unreadable = Vec::new();
    match top.remove("definitions") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Array(values)) => {
            for (i, v) in values.into_iter().enumerate() {
                let key = (
                    v.get("id").and_then(|id| id.as_str()).map(str::to_owned),
                    v.get("version")
                        .and_then(|n| n.as_u64())
                        .and_then(|n| u32::try_from(n).ok()),
                );
                // Read from its text, like every other definition: reading it from the parsed
                // `Value` would compile a second copy of every definition reader into the app.
                match Definition::read(v.to_string()) {
                    Ok(d) => definitions.push(d),
                    Err(e) => {
                        file_problems.push(format!(
                            "Survey definition {} in the file is not in the expected shape ({e}).",
                            i + 1
                        ));
                        if let (Some(id), Some(version)) = key {
                            unreadable.push((id, version));
                        }
                    }
                }
            }
        }
        Some(_) => file_problems.push("The file's 'definitions' is not a list.".into()),
    }
    let usable = definition_problems(&definitions, &mut file_problems);
    let records = match top.remove("responses") {
        Some(serde_json::Value::Array(records)) => records,
        _ => {
            file_problems.push("The file has no 'responses' list.".into());
            Vec::new()
        }
    };
    let mut problems: Vec<ImportProblem> = file_problems
        .into_iter()
        .map(|message| ImportProblem {
            number: None,
            id: None,
            message,
        })
        .collect();
    let surveys = Surveys::new(&definitions, &usable, &unreadable);
    let mut responses = Vec::with_capacity(records.len());
    let mut first_seen: HashMap<ResponseId, usize> = HashMap::new();
    for (i, record) in records.into_iter().enumerate() {
        let number = i + 1;
        let id = record
            .get("id")
            .and_then(|id| id.as_str())
            .map(str::to_owned);
        let mut problem = |message: String| {
            problems.push(ImportProblem {
                number: Some(number),
                id: id.clone(),
                message,
            })
        };
        match decode_record_value(record) {
            Ok(r) => {
                match first_seen.entry(r.id.clone()) {
                    hash_map::Entry::Occupied(first) => {
                        problem(format!("it has the same id as response {}.", first.get()))
                    }
                    hash_map::Entry::Vacant(slot) => {
                        slot.insert(number);
                    }
                }
                surveys.problems(&r).into_iter().for_each(&mut problem);
                responses.push(r);
            }
            Err(e) => problem(format!("{e}.")),
        }
    }
    drop(surveys);
    match exported_at {
        Some(exported_at) if problems.is_empty() => Ok(RawFile {
            exported_at,
            device_label,
            definitions: without_builtin(definitions),
            responses,
        }),
        _ => Err(ImportErrors { problems }),
    }
}

/// Add the definitions of an imported file ([`RawFile::definitions`]) to those a workspace holds,
/// so that it can save its merged responses as a raw file that imports again
/// ([`export_raw_with_definitions`]). A survey already held with the same content adds nothing. A
/// survey held with different content under the same id and version cannot be told apart from it
/// in the responses: that is an error, and nothing is added (import nothing from that file).
pub fn merge_definitions(
    held: &mut Vec<Definition>,
    incoming: Vec<Definition>,
) -> Result<(), ImportErrors> {
    let problems: Vec<ImportProblem> = incoming
        .iter()
        .filter(|d| held.iter().any(|h| key(h) == key(d) && h != *d))
        .map(|d| ImportProblem {
            number: None,
            id: None,
            message: format!(
                "The file defines survey '{}' version {} differently from the file that brought it into this workspace. A changed survey needs its own id or a new version.",
                d.id, d.version
            ),
        })
        .collect();
    if !problems.is_empty() {
        return Err(ImportErrors { problems });
    }
    for d in incoming {
        if !held.iter().any(|h| key(h) == key(&d)) {
            held.push(d);
        }
    }
    Ok(())
}

/// What a merge did, for the evaluator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Incoming responses with an id not held before.
    pub added: usize,
    /// Incoming responses identical to one already held.
    pub duplicates_skipped: usize,
    /// Incoming responses with an id already held but different content, and which version was kept.
    pub conflicts: Vec<Conflict>,
}

/// Two different versions of one response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The response id.
    pub id: ResponseId,
    /// Which version is kept.
    pub kept: Kept,
}

/// Which side of a conflict was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// The one already held (it was newer).
    Existing,
    /// The incoming one (it was newer).
    Incoming,
}

/// Merge incoming responses into those held, by response id. The result is sorted by id. Takes
/// both lists by value: the result replaces what was held, and nothing is copied.
///
/// Rule for one id with different content: keep the version with the later `updated_at`; if both
/// have the same time, keep the one whose record text ([`encode_record`]) sorts last. This picks
/// the same winner whatever the order, so merging is order-independent (`merge(a, b)` and
/// `merge(b, a)` hold the same responses) and idempotent (`merge(a, a)` is `a`; importing the same
/// file twice adds nothing). Each such incoming response counts as a conflict.
pub fn merge(existing: Vec<Response>, incoming: Vec<Response>) -> (Vec<Response>, MergeReport) {
    let mut held: BTreeMap<ResponseId, Response> = BTreeMap::new();
    for r in existing {
        let _ = keep_newer(&mut held, r);
    }
    let mut report = MergeReport::default();
    for r in incoming {
        let id = r.id.clone();
        match keep_newer(&mut held, r) {
            Outcome::Added => report.added += 1,
            Outcome::Same => report.duplicates_skipped += 1,
            Outcome::Replaced => report.conflicts.push(Conflict {
                id,
                kept: Kept::Incoming,
            }),
            Outcome::Kept => report.conflicts.push(Conflict {
                id,
                kept: Kept::Existing,
            }),
        }
    }
    (held.into_values().collect(), report)
}

/// The total order of the conflict rule: later `updated_at`, then record text.
fn newer(a: &Response, b: &Response) -> bool {
    match a.updated_at.cmp(&b.updated_at) {
        std::cmp::Ordering::Equal => encode_record(a) > encode_record(b),
        later_or_earlier => later_or_earlier.is_gt(),
    }
}

enum Outcome {
    Added,
    Same,
    Replaced,
    Kept,
}

fn keep_newer(held: &mut BTreeMap<ResponseId, Response>, r: Response) -> Outcome {
    match held.entry(r.id.clone()) {
        Entry::Vacant(e) => {
            e.insert(r);
            Outcome::Added
        }
        Entry::Occupied(e) if *e.get() == r => Outcome::Same,
        Entry::Occupied(mut e) if newer(&r, e.get()) => {
            e.insert(r);
            Outcome::Replaced
        }
        Entry::Occupied(_) => Outcome::Kept,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::answer::Answer;
    use crate::survey::instrument::default_instrument;
    use crate::survey::instrument::Instrument;
    use crate::survey::testing::{
        any_response, any_response_set, any_valid_response_set, custom_instrument,
    };
    use proptest::prelude::*;

    fn response(n: u8, updated_at: u64, joint_working: u8) -> Response {
        let mut r = Response::new_draft(
            ResponseId::from_random([n; 16]),
            default_instrument(),
            updated_at,
        );
        r.answers
            .insert("joint_working".into(), Answer::Scale(joint_working));
        r.submitted = true;
        r
    }

    #[test]
    fn export_layout() {
        let text = export_raw(
            &[response(1, 5, 7), response(2, 6, 8)],
            1_719_748_800_000,
            Some("Tablet \"3\""),
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"format":"ilt-responses","format_version":1,"exported_at":"2024-06-30T12:00:00.000Z","device_label":"Tablet \"3\"","responses":["#
        );
        assert_eq!(lines[1], format!("{},", encode_record(&response(1, 5, 7))));
        assert_eq!(lines[2], encode_record(&response(2, 6, 8)));
        assert_eq!(lines[3], "]}");
        let empty = export_raw(&[], 0, None);
        assert_eq!(
            import_raw(&empty).unwrap(),
            RawFile {
                exported_at: 0,
                device_label: None,
                definitions: vec![],
                responses: vec![]
            }
        );
    }

    #[test]
    fn bad_rows_are_listed_and_nothing_is_imported() {
        let good = encode_record(&response(1, 5, 7));
        let text = format!(
            r#"{{"format":"ilt-responses","format_version":1,"exported_at":"2024-06-30T12:00:00Z","responses":[{good},{{"v":1,"id":"zz"}},{good},[],{{"v":9}}]}}"#
        );
        let err = import_raw(&text).unwrap_err();
        let lines: Vec<String> = err.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(
            lines[0].starts_with("Response 2 (id zz): The record (version 1) cannot be read: "),
            "{}",
            lines[0]
        );
        assert_eq!(
            lines[1],
            "Response 3 (id 01010101010101010101010101010101): it has the same id as response 1."
        );
        assert_eq!(
            lines[2],
            "Response 4: The record is not a survey response (it is not a JSON object)."
        );
        assert!(
            lines[3].starts_with("Response 5: The record was saved by a newer version"),
            "{}",
            lines[3]
        );
        assert!(err.to_string().starts_with(
            "Nothing was imported from this file, because 4 problems were found:\n- Response 2"
        ));
    }

    #[test]
    fn file_level_problems() {
        let msg = |text: &str| import_raw(text).unwrap_err().to_string();
        assert!(msg("{\"format\":").contains("not valid JSON"));
        assert!(
            msg(r#"{"format":"something-else"}"#).contains("its 'format' is not 'ilt-responses'")
        );
        assert!(msg(r#"[1]"#).contains("not a responses file"));
        let m = msg(
            r#"{"format":"ilt-responses","format_version":3,"exported_at":"yesterday","extra":1}"#,
        );
        assert!(m.contains("4 problems"), "{m}");
        assert!(m.contains("newer version of the toolkit (format version 3"));
        assert!(m.contains("'exported_at' is missing or not an ISO 8601"));
        assert!(m.contains("a field 'extra'"));
        assert!(m.contains("no 'responses' list"));
    }

    #[test]
    fn legacy_records_in_a_file_are_migrated() {
        let v0 = r#"{"id":"3F2A9C0E-7B4D-4E1F-8A6B-5C4D3E2F1A0B","survey":"eoe-cpil","saved":"2024-05-20T10:15:00Z","complete":true,"answers":[{"q":"joint_working","value":6}]}"#;
        let text = format!(
            r#"{{"format":"ilt-responses","format_version":1,"exported_at":"2024-06-30T12:00:00Z","responses":[{v0}]}}"#
        );
        let file = import_raw(&text).unwrap();
        assert_eq!(
            file.responses[0].id.as_str(),
            "3f2a9c0e7b4d4e1f8a6b5c4d3e2f1a0b"
        );
        assert_eq!(
            file.responses[0].answers.get("joint_working"),
            Some(&Answer::Scale(6))
        );
    }

    #[test]
    fn merge_counts_and_conflict_rule() {
        let held = vec![response(1, 10, 5), response(2, 10, 5), response(3, 10, 5)];
        let incoming = vec![
            response(1, 10, 5), // the same: duplicate
            response(2, 20, 9), // newer: replaces
            response(3, 5, 9),  // older: loses
            response(4, 10, 1), // new
        ];
        let (merged, report) = merge(held, incoming);
        assert_eq!(report.added, 1);
        assert_eq!(report.duplicates_skipped, 1);
        assert_eq!(
            report.conflicts,
            vec![
                Conflict {
                    id: response(2, 0, 0).id,
                    kept: Kept::Incoming
                },
                Conflict {
                    id: response(3, 0, 0).id,
                    kept: Kept::Existing
                },
            ]
        );
        assert_eq!(
            merged,
            vec![
                response(1, 10, 5),
                response(2, 20, 9),
                response(3, 10, 5),
                response(4, 10, 1)
            ]
        );
        // Same time, different content: the same winner from either side.
        let (a, b) = (response(7, 10, 3), response(7, 10, 8));
        assert_eq!(
            merge(vec![a.clone()], vec![b.clone()]).0,
            merge(vec![b], vec![a]).0
        );
    }

    #[test]
    fn importing_the_same_file_twice_changes_nothing() {
        let text = export_raw(&[response(1, 5, 7), response(2, 6, 8)], 0, None);
        let file = import_raw(&text).unwrap();
        let (once, first) = merge(vec![], file.responses.clone());
        let (twice, second) = merge(once.clone(), file.responses);
        assert_eq!(
            (first.added, second.added, second.duplicates_skipped),
            (2, 0, 2)
        );
        assert_eq!(once, twice);
    }

    /// A version-1 file, as a device writes it, with these records in `responses`.
    fn file_of(records: &[String]) -> String {
        format!(
            "{{\"format\":\"ilt-responses\",\"format_version\":1,\"exported_at\":\"2024-06-30T12:00:00.000Z\",\"responses\":[\n{}\n]}}\n",
            records.join(",\n")
        )
    }

    /// A submitted pharmacy response to the built-in survey with one answer replaced (JSON).
    fn with_answer(n: u8, question: &str, answer_json: &str) -> String {
        let mut r = response(n, 5, 7);
        r.answers
            .insert("respondent".into(), Answer::choice("pharmacy"));
        r.answers.insert("wave".into(), Answer::choice("baseline"));
        r.answers.insert(question.into(), Answer::Scale(1));
        let placeholder = format!("\"{question}\":1");
        let record = encode_record(&r);
        assert!(record.contains(&placeholder), "{record}");
        record.replace(&placeholder, &format!("\"{question}\":{answer_json}"))
    }

    /// The custom survey, a draft answering it, and a file of the draft with the definition.
    fn custom_file() -> (Instrument, Response, String) {
        let custom = custom_instrument();
        let r = Response::new_draft(ResponseId::from_random([7; 16]), &custom, 5);
        let text = export_raw_with_definitions(
            std::slice::from_ref(&r),
            std::slice::from_ref(&custom),
            0,
            None,
        );
        (custom, r, text)
    }

    /// The problems of a file that must not import, as displayed.
    fn problems(text: &str) -> Vec<String> {
        assert!(
            import_current(text).is_none(),
            "the fast path must not accept it"
        );
        import_raw(text)
            .expect_err("the file must not import")
            .problems
            .iter()
            .map(ImportProblem::to_string)
            .collect()
    }

    #[test]
    fn the_reported_file_with_a_rating_of_11_is_rejected() {
        // The file a new user tried: everything else fine, `pcn_knows_cp` rated 11 on a 1-10 scale.
        let text = r#"{"format":"ilt-responses","format_version":1,"exported_at":"2024-06-30T12:00:00.000Z","device_label":"Tablet 3","responses":[
{"v":1,"id":"0a0000000000000000000001","i":"eoe-cpil","iv":1,"u":1719748860000,"s":true,"a":{"pcn_knows_cp":7}},
{"v":1,"id":"0a000000000000000000000000000002","i":"eoe-cpil","iv":1,"u":1719748920000,"s":true,"a":{"has_lead":"yes","icb":"hwe","pcn":{"t":"Stevenage North"},"pcn_knows_cp":11,"respondent":"pharmacy","wave":"baseline"}}
]}"#
        .replace("0a0000000000000000000001", "0a000000000000000000000000000001");
        assert_eq!(
            problems(&text),
            ["Response 2 (id 0a000000000000000000000000000002): its answer to 'pcn_knows_cp' does not fit the question: 11 is not on its scale from 1 to 10."]
        );
    }

    #[test]
    fn every_answer_that_does_not_fit_is_listed() {
        let long = "é".repeat(2001); // 2001 characters, 4002 bytes
        let records = [
            with_answer(1, "pcn_knows_cp", "0"),
            with_answer(2, "cp_valued_pcn", "6"),
            with_answer(3, "icb", r#""london""#),
            with_answer(4, "lead_contact_how", r#"["email","phone","email"]"#),
            with_answer(5, "lead_contact_how", r#"["email","fax"]"#),
            with_answer(6, "joint_working", r#""7""#),
            with_answer(7, "icb", "3"),
            with_answer(8, "pcn", r#""Stevenage North""#),
            with_answer(9, "favourite_colour", r#"{"t":"blue"}"#),
            with_answer(10, "comments", &format!(r#"{{"t":"{long}"}}"#)),
            with_answer(11, "joint_working", "999"),
            with_answer(12, "joint_working", "10"),
        ];
        let id = |n: u8| ResponseId::from_random([n; 16]).to_string();
        let expected = [
            format!("Response 1 (id {}): its answer to 'pcn_knows_cp' does not fit the question: 0 is not on its scale from 1 to 10.", id(1)),
            format!("Response 2 (id {}): its answer to 'cp_valued_pcn' does not fit the question: 6 is not on its scale from 1 to 5.", id(2)),
            format!("Response 3 (id {}): its answer to 'icb' does not fit the question: 'london' is not one of its options.", id(3)),
            format!("Response 4 (id {}): its answer to 'lead_contact_how' does not fit the question: 'email' is chosen more than once.", id(4)),
            format!("Response 5 (id {}): its answer to 'lead_contact_how' does not fit the question: 'fax' is not one of its options.", id(5)),
            format!("Response 6 (id {}): its answer to 'joint_working' does not fit the question: it is a code, but the question takes a number from 1 to 10.", id(6)),
            format!("Response 7 (id {}): its answer to 'icb' does not fit the question: it is a number, but the question takes the code of one option.", id(7)),
            format!("Response 8 (id {}): its answer to 'pcn' does not fit the question: it is a code, but the question takes text.", id(8)),
            format!("Response 9 (id {}): it answers 'favourite_colour', which is not a question of survey 'eoe-cpil' version 2.", id(9)),
            format!("Response 10 (id {}): its answer to 'comments' does not fit the question: it is 2001 characters long, more than the 2000 the question allows.", id(10)),
        ];
        let found = problems(&file_of(&records));
        assert_eq!(found[..10], expected, "{found:#?}");
        assert!(
            found[10].starts_with(&format!("Response 11 (id {}): The record (version 1) cannot be read: the answer to 'joint_working' is not readable", id(11))),
            "999 is not even a scale point: {}",
            found[10]
        );
        assert_eq!(found.len(), 11, "response 12 is fine");
        // Exactly at the limit, in characters (4000 bytes), is fine.
        let at_limit = with_answer(1, "comments", &format!(r#"{{"t":"{}"}}"#, "é".repeat(2000)));
        assert!(import_raw(&file_of(&[at_limit])).is_ok());
    }

    #[test]
    fn a_draft_may_hold_an_over_long_text_but_nothing_else_that_does_not_fit() {
        // The survey saves what a person types before it checks the length.
        let long = format!(r#"{{"t":"{}"}}"#, "x".repeat(2001));
        let draft = with_answer(1, "comments", &long).replace(r#""s":true,"#, "");
        assert!(!draft.contains(r#""s":"#));
        let file = import_raw(&file_of(std::slice::from_ref(&draft))).unwrap();
        assert!(!file.responses[0].submitted);
        let bad_draft = with_answer(2, "joint_working", "11").replace(r#""s":true,"#, "");
        assert_eq!(problems(&file_of(&[draft, bad_draft])).len(), 1);
    }

    #[test]
    fn a_response_to_a_survey_the_file_does_not_define_is_rejected() {
        let custom = custom_instrument();
        let mut r = Response::new_draft(ResponseId::from_random([7; 16]), &custom, 5);
        r.answers.insert("joint_working".into(), Answer::Scale(0));
        let text = export_raw(std::slice::from_ref(&r), 0, None);
        assert_eq!(
            problems(&text),
            [format!("Response 1 (id {}): it answers survey 'my-survey' version 3, which is not built into this toolkit and is not included in the file. Export the responses again from a device that has that survey, with the latest version of the toolkit, so that the file includes it.", r.id)]
        );
        // With its definition, it imports, checked by that survey's rules (0 to 6, not 1 to 10).
        let with = export_raw_with_definitions(
            std::slice::from_ref(&r),
            std::slice::from_ref(&custom),
            0,
            None,
        );
        let file = import_raw(&with).unwrap();
        assert_eq!(
            (file.definitions, file.responses),
            (vec![Definition::from(custom.clone())], vec![r.clone()])
        );
        r.answers.insert("joint_working".into(), Answer::Scale(7));
        let text = export_raw_with_definitions(
            std::slice::from_ref(&r),
            std::slice::from_ref(&custom),
            0,
            None,
        );
        assert_eq!(
            problems(&text),
            [format!("Response 1 (id {}): its answer to 'joint_working' does not fit the question: 7 is not on its scale from 0 to 6.", r.id)]
        );
    }

    #[test]
    fn export_with_definitions_layout() {
        let custom = custom_instrument();
        let mut other = custom.clone();
        other.id = "another".into();
        let builtin_copy = default_instrument().clone();
        let rs = [
            response(1, 5, 7),
            Response::new_draft(ResponseId::from_random([2; 16]), &custom, 6),
        ];
        let text = export_raw_with_definitions(
            &rs,
            &[other, custom.clone(), builtin_copy, custom.clone()],
            1_719_748_800_000,
            None,
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"format":"ilt-responses","format_version":2,"exported_at":"2024-06-30T12:00:00.000Z","definitions":["#
        );
        assert_eq!(
            lines[1],
            serde_json::to_string(&custom).unwrap(),
            "once; not the unanswered one nor the built-in"
        );
        assert_eq!(lines[2], r#"],"responses":["#);
        assert_eq!(lines[3], format!("{},", encode_record(&rs[0])));
        assert_eq!(lines[4], encode_record(&rs[1]));
        assert_eq!(lines[5], "]}");
        assert_eq!(
            Instrument::from_json(lines[1]),
            Ok(custom),
            "the JSON of a definition file"
        );
    }

    #[test]
    fn definitions_in_the_file_are_checked() {
        let (custom, _, good) = custom_file();
        let definition = serde_json::to_string(&custom).unwrap();
        let edit = |from: &str, to: &str| {
            assert!(good.contains(from), "{from}");
            good.replacen(from, to, 1)
        };
        // Broken like a definition file: every problem, and its responses are not checked further.
        let broken = edit(r#""title":"A custom survey""#, r#""title":"""#).replacen(
            r#""id":"collab_plan""#,
            r#""id":"Collab Plan""#,
            1,
        );
        assert_eq!(
            problems(&broken),
            [
                "Survey definition 1 in the file ('my-survey' version 3): The survey has no title.",
                "Survey definition 1 in the file ('my-survey' version 3): Question 'Collab Plan' has an id that is not allowed: use 1 to 40 lower-case letters, digits and '_', starting with a letter."
            ]
        );
        let shapeless = edit(r#""sections":"#, r#""parts":"#);
        let found = problems(&shapeless);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("Survey definition 1 in the file is not in the expected shape (unknown field `parts`"), "{}", found[0]);
        // Twice.
        let twice = edit(&definition, &format!("{definition},\n{definition}"));
        assert_eq!(
            problems(&twice),
            ["Survey definition 2 in the file ('my-survey' version 3) is the same survey and version as definition 1: each survey may be defined once."]
        );
        // The built-in id and version with other content; an identical copy is harmless.
        let mut fake = custom.clone();
        fake.id = "eoe-cpil".into();
        fake.version = 1;
        let impostor = edit(
            &definition,
            &format!("{definition},\n{}", serde_json::to_string(&fake).unwrap()),
        );
        assert_eq!(
            problems(&impostor),
            ["Survey definition 2 in the file ('eoe-cpil' version 1) has the id and version of the built-in survey but different content. A changed survey needs its own id or a new version."]
        );
        let copy = edit(
            &definition,
            &format!(
                "{definition},\n{}",
                serde_json::to_string(default_instrument()).unwrap()
            ),
        );
        assert_eq!(import_raw(&copy).unwrap().definitions, vec![custom]);
        // Definitions need format version 2; 'definitions' must be a list.
        assert_eq!(
            problems(&edit(r#""format_version":2"#, r#""format_version":1"#)),
            ["The file has survey definitions but says it is format version 1: a file with definitions is version 2."]
        );
        let found = problems(&edit(&format!("[\n{definition}\n]"), "{}"));
        assert_eq!(found[0], "The file's 'definitions' is not a list.");
        assert!(found[1].contains("not included in the file"), "{found:?}");
    }

    #[test]
    fn the_fast_path_hands_over_what_it_does_not_expect() {
        let (_, _, text) = custom_file();
        let expected = import_current(&text).expect("as written");
        // `definitions` after `responses` (a hand-made file): read by the thorough path alike.
        let (head, rest) = text.split_once(r#","definitions":["#).unwrap();
        let (definitions, responses) = rest.split_once(r#"],"responses":["#).unwrap();
        let moved = format!(
            r#"{head},"responses":[{}],"definitions":[{definitions}]}}"#,
            responses.trim_end().trim_end_matches("]}")
        );
        assert!(import_current(&moved).is_none());
        assert_eq!(import_raw(&moved), Ok(expected.clone()));
        // `null` definitions in a version-2 file are no definitions, on either path.
        let plain = export_raw(&[response(1, 5, 7)], 0, None).replacen(
            r#""format_version":1,"#,
            r#""format_version":2,"definitions":null,"#,
            1,
        );
        assert_eq!(import_current(&plain).map(|f| f.definitions), Some(vec![]));
        assert_eq!(import_any(&plain).map(|f| f.definitions), Ok(vec![]));
        // A field twice: the thorough path decides (as serde_json reads it, the last one counts).
        let twice = export_raw(&[response(1, 5, 7)], 0, None).replacen(
            r#""format_version":1,"#,
            r#""format_version":1,"format_version":1,"#,
            1,
        );
        assert!(import_current(&twice).is_none());
        assert!(import_raw(&twice).is_ok());
    }

    #[test]
    fn a_workspace_gathers_definitions_and_refuses_a_second_meaning() {
        let custom = custom_instrument();
        let mut other = custom.clone();
        other.id = "another".into();
        let mut held: Vec<Definition> = vec![custom.clone().into()];
        merge_definitions(&mut held, vec![custom.clone().into(), other.clone().into()]).unwrap();
        assert_eq!(held, [custom.clone(), other.clone()], "each once");
        let mut changed = custom.clone();
        changed.title = "Changed without a new version".into();
        let err = merge_definitions(&mut held, vec![changed.into(), other.clone().into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Nothing was imported from this file, because 1 problem was found:\n- The file defines survey 'my-survey' version 3 differently from the file that brought it into this workspace. A changed survey needs its own id or a new version."
        );
        assert_eq!(held, [custom, other], "unchanged");
    }

    proptest! {
        #[test]
        fn export_import_round_trip(rs in any_valid_response_set(8), at in 0u64..4_102_444_800_000, label in proptest::option::of("\\PC{0,20}")) {
            // Every definition a device might pass: the custom one, one nobody answered, the built-in.
            let custom = custom_instrument();
            let mut unused = custom.clone();
            unused.version = 9;
            let offered = [unused, default_instrument().clone(), custom.clone()];
            let text = export_raw_with_definitions(&rs, &offered, at, label.as_deref());
            let answers_custom = rs.iter().any(|r| r.instrument_id == custom.id);
            let file = import_raw(&text).unwrap();
            let definitions = if answers_custom { vec![custom] } else { vec![] };
            prop_assert_eq!(file, RawFile { exported_at: at, device_label: label.clone(), definitions: definitions.into_iter().map(Definition::from).collect(), responses: rs.clone() });
            prop_assert_eq!(text.contains(r#""format_version":2,"#), answers_custom);
            if !answers_custom {
                prop_assert_eq!(text, export_raw(&rs, at, label.as_deref()));
            }
        }

        #[test]
        fn a_file_said_to_exceed_a_length_does(rs in any_response_set(12), label in proptest::option::of("\\PC{0,20}"), cut in 0usize..6_000) {
            let units = export_raw_with_definitions(&rs, &[custom_instrument()], 0, label.as_deref()).encode_utf16().count();
            if raw_file_exceeds(&rs, cut) {
                prop_assert!(units >= cut, "said to exceed {} units, written in {}", cut, units);
            }
        }

        #[test]
        fn fast_and_thorough_import_agree(rs in any_valid_response_set(8), at in 0u64..4_102_444_800_000) {
            let text = export_raw_with_definitions(&rs, &[custom_instrument()], at, Some("Tablet"));
            let fast = import_current(&text);
            prop_assert!(fast.is_some(), "a file this build wrote takes the fast path");
            prop_assert_eq!(import_any(&text), Ok(fast.unwrap()));
        }

        #[test]
        fn any_rating_off_its_scale_is_rejected(
            rs in any_valid_response_set(6).prop_filter("a response", |rs| !rs.is_empty()),
            pick in any::<prop::sample::Index>(),
            question in any::<prop::sample::Index>(),
            value in any::<u8>(),
        ) {
            let mut rs = rs;
            let at = pick.index(rs.len());
            let custom = custom_instrument();
            let survey = if rs[at].instrument_id == custom.id { &custom } else { default_instrument() };
            let scales: Vec<_> = survey.questions().filter_map(|q| Some((q, q.scale()?))).collect();
            let (q, (min, max)) = scales[question.index(scales.len())];
            prop_assume!(!(min..=max).contains(&value));
            rs[at].answers.insert(q.id.clone(), Answer::Scale(value));
            let text = export_raw_with_definitions(&rs, std::slice::from_ref(&custom), 0, None);
            prop_assert!(import_current(&text).is_none());
            let err = import_raw(&text).unwrap_err();
            prop_assert_eq!(err.problems, vec![ImportProblem {
                number: Some(at + 1),
                id: Some(rs[at].id.to_string()),
                message: format!("its answer to '{}' does not fit the question: {value} is not on its scale from {min} to {max}.", q.id),
            }]);
        }

        /// The import and the answering flow judge an answer alike: a submitted response imports
        /// exactly when `Question::check` accepts each of its answers.
        #[test]
        fn import_accepts_what_the_flow_accepts(
            answers in proptest::collection::vec((any::<prop::sample::Index>(), crate::survey::testing::any_answer()), 0..6),
        ) {
            let d = default_instrument();
            let questions: Vec<_> = d.questions().collect();
            let mut r = response(1, 5, 7);
            r.answers.clear();
            for (q, a) in answers {
                r.answers.insert(questions[q.index(questions.len())].id.clone(), a);
            }
            let fits = r.answers.iter().all(|(q, a)| d.question(q).unwrap().check(a).is_ok());
            let text = export_raw(std::slice::from_ref(&r), 0, None);
            prop_assert_eq!(import_raw(&text).is_ok(), fits);
            prop_assert_eq!(import_current(&text).is_some(), fits);
        }

        #[test]
        fn merge_is_idempotent(a in any_response_set(12)) {
            let (merged, report) = merge(a.clone(), a.clone());
            prop_assert_eq!(&merged, &a);
            prop_assert_eq!(report, MergeReport { added: 0, duplicates_skipped: a.len(), conflicts: vec![] });
        }

        #[test]
        fn merge_is_order_independent(a in any_response_set(10), b in any_response_set(10), shared in proptest::collection::vec(any_response(), 0..4)) {
            // Give some responses of b the ids of a's so conflicts and duplicates happen.
            let mut b = b;
            for (i, mut r) in shared.into_iter().enumerate() {
                if let Some(x) = a.get(i) { r.id = x.id.clone(); }
                b.push(r);
            }
            let b: Vec<Response> = merge(vec![], b).0;
            let (ab, _) = merge(a.clone(), b.clone());
            let (ba, _) = merge(b.clone(), a.clone());
            prop_assert_eq!(&ab, &ba);
            // Merging again adds nothing.
            prop_assert_eq!(&merge(ab.clone(), b.clone()).0, &ab);
            prop_assert_eq!(&merge(ab.clone(), a.clone()).0, &ab);
            // Nothing is lost: every id of either side is held, with one of its versions.
            for r in a.iter().chain(&b) {
                let kept = ab.iter().find(|k| k.id == r.id);
                prop_assert!(kept.is_some());
                prop_assert!(kept.unwrap().updated_at >= r.updated_at);
            }
        }
    }
}
