//! YAML into front matter's [`Value`], with a bound on alias expansion.
//!
//! serde_yaml replays an alias's events each time it is used, so a small
//! document can ask for gigabytes (a 100 KB anchor aliased 3,000 times did).
//! Reading straight into our own value through a serde visitor lets every node
//! and every byte of text be charged against a budget as it is made, and
//! reading stop before the memory is taken. The visitor also says where an
//! integer too wide for 64 bits was written, and refuses duplicate keys.

use super::{TooLarge, Value};

/// How much front matter may grow when YAML aliases are expanded: every node
/// and every byte of text counts against four times the YAML's own size (plus
/// a little, for tiny documents). A 100 KB anchor aliased 3,000 times asked for
/// 300 MB and took gigabytes of memory; it now stops at its first 400 KB.
pub(super) struct Expansion {
    pub(super) limit: u64,
    left: std::cell::Cell<u64>,
    /// Why reading stopped, when it was us who stopped it.
    pub(super) stop: std::cell::RefCell<Option<Stop>>,
}

pub(super) enum Stop {
    TooLarge(TooLarge),
    Expansion,
}

impl Expansion {
    pub(super) fn new(yaml_len: usize) -> Expansion {
        let limit = 4 * yaml_len as u64 + 64 * 1024;
        Expansion {
            limit,
            left: std::cell::Cell::new(limit),
            stop: std::cell::RefCell::new(None),
        }
    }

    fn charge<E: serde::de::Error>(&self, units: u64) -> Result<(), E> {
        match self.left.get().checked_sub(units) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => self.halt(Stop::Expansion),
        }
    }

    fn halt<T, E: serde::de::Error>(&self, why: Stop) -> Result<T, E> {
        *self.stop.borrow_mut() = Some(why);
        Err(E::custom("svcbook stopped reading"))
    }
}

/// Reads YAML straight into our [`Value`], charging [`Expansion`] as it goes:
/// serde_yaml replays an alias's events for each use, so the budget sees the
/// expanded size and can stop it before it is allocated.
pub(super) fn read_value(yaml: &str, expansion: &Expansion) -> Result<Value, serde_yaml::Error> {
    use serde::de::DeserializeSeed;
    let de = serde_yaml::Deserializer::from_str(yaml);
    ValueSeed {
        expansion,
        path: String::new(),
    }
    .deserialize(de)
}

/// One value, and where it sits (`weight`, `sla[0].target`) for messages.
struct ValueSeed<'b> {
    expansion: &'b Expansion,
    path: String,
}

impl<'b> ValueSeed<'b> {
    fn at(&self, path: String) -> ValueSeed<'b> {
        ValueSeed {
            expansion: self.expansion,
            path,
        }
    }

    fn too_large<T, E: serde::de::Error>(&self, number: String) -> Result<T, E> {
        self.expansion.halt(Stop::TooLarge(TooLarge {
            path: self.path.clone(),
            number,
        }))
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.expansion.charge(1)?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.expansion.charge(8)?;
        Ok(Value::Int(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.expansion.charge(8)?;
        match i64::try_from(v) {
            Ok(i) => Ok(Value::Int(i)),
            // Between i64::MAX and u64::MAX.
            Err(_) => self.too_large(v.to_string()),
        }
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(i) => self.visit_i64(i),
            Err(_) => self.too_large(v.to_string()),
        }
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(u) => self.visit_u64(u),
            Err(_) => self.too_large(v.to_string()),
        }
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.expansion.charge(8)?;
        Ok(Value::Float(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.expansion.charge(8 + v.len() as u64)?;
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        self.expansion.charge(8 + v.len() as u64)?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.expansion.charge(1)?;
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.expansion.charge(8)?;
        let mut items = Vec::new();
        while let Some(item) =
            seq.next_element_seed(self.at(format!("{}[{}]", self.path, items.len())))?
        {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.expansion.charge(8)?;
        let mut entries = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key_seed(self.at(self.path.clone()))? {
            let key = match key {
                Value::String(s) => s,
                other => other.as_scalar_text().unwrap_or_default(),
            };
            if !seen.insert(key.clone()) {
                // serde_yaml's own wording, which `duplicate_key_line` reads.
                return Err(serde::de::Error::custom(format!(
                    "duplicate entry with key \"{key}\""
                )));
            }
            let inner = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            let value = map.next_value_seed(self.at(inner))?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }

    /// A value with a custom tag (`!foo bar`): the tag is dropped.
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, variant): (String, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}
