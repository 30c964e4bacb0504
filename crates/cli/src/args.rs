//! A small, strict command-line reader: `--flag value`, `--flag=value`, switches and
//! positionals; an unknown or repeated flag is a usage error rather than silently ignored.

use std::collections::BTreeMap;

/// What went wrong on the command line.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parsed arguments of one subcommand.
pub struct Args {
    values: BTreeMap<String, String>,
    switches: Vec<String>,
    positionals: Vec<String>,
}

impl Args {
    /// Parses `raw` knowing which flags take a value and which are switches.
    pub fn parse(raw: &[String], valued: &[&str], switches: &[&str]) -> Result<Args, UsageError> {
        let mut args = Args {
            values: BTreeMap::new(),
            switches: Vec::new(),
            positionals: Vec::new(),
        };
        let mut it = raw.iter();
        while let Some(a) = it.next() {
            if a == "--" {
                args.positionals.extend(it.by_ref().cloned());
                break;
            }
            if let Some(flag) = a.strip_prefix("--") {
                let (name, inline) = match flag.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (flag, None),
                };
                if valued.contains(&name) {
                    let value = match inline {
                        Some(v) => v,
                        None => it
                            .next()
                            .cloned()
                            .ok_or_else(|| UsageError(format!("--{name} needs a value")))?,
                    };
                    if args.values.insert(name.to_string(), value).is_some() {
                        return Err(UsageError(format!("--{name} given twice")));
                    }
                } else if switches.contains(&name) && inline.is_none() {
                    args.switches.push(name.to_string());
                } else {
                    return Err(UsageError(format!("unknown option --{name}")));
                }
            } else if a.starts_with('-') && a.len() > 1 {
                return Err(UsageError(format!("unknown option {a}")));
            } else {
                args.positionals.push(a.clone());
            }
        }
        Ok(args)
    }

    /// The value of `--name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Whether the switch `--name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    /// A numeric value of `--name`.
    pub fn number(&self, name: &str) -> Result<Option<u64>, UsageError> {
        self.get(name)
            .map(|v| {
                v.parse().map_err(|_| {
                    UsageError(format!(
                        "--{name} must be a non-negative integer, not {v:?}"
                    ))
                })
            })
            .transpose()
    }

    /// The positional arguments.
    pub fn positionals(&self) -> &[String] {
        &self.positionals
    }
}
