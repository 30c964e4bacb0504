//! Emitting decision records: a JSON log line (sampled by `LOG_SAMPLE_RATE`), a data point
//! to the optional `ANALYTICS` binding (Analytics Engine), and the isolate's ring the
//! dashboard reads when no Analytics Engine SQL access is configured.

use crate::config::Config;
use crate::observe::{DecisionRecord, Ring, data_point, sampled};
use core::cell::RefCell;
use worker::js_sys::{self, Function, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{Env, console_log};

/// The binding of the Analytics Engine dataset.
pub const ANALYTICS_BINDING: &str = "ANALYTICS";

std::thread_local! {
    static RING: RefCell<Ring> = RefCell::new(Ring::default());
}

/// Records a decision everywhere it goes.
pub fn emit(env: &Env, config: &Config, record: DecisionRecord) {
    if let Some(dataset) = binding(env, ANALYTICS_BINDING)
        && let Ok(point) = js_sys::JSON::parse(&data_point(&record).to_string())
        && let Ok(write) = Reflect::get(&dataset, &JsValue::from_str("writeDataPoint"))
        && let Ok(write) = write.dyn_into::<Function>()
    {
        let _ = write.call1(&dataset, &point);
    }
    let line = record.log_line();
    let n = RING.with(|r| r.borrow_mut().push(record));
    if sampled(n, config.log_sample) {
        console_log!("{line}");
    }
}

/// The ring's rows, for the dashboard.
pub fn ring_rows() -> alloc::vec::Vec<crate::observe::Row> {
    RING.with(|r| r.borrow().records().map(Into::into).collect())
}

/// A binding of the environment as a plain JS object, if it is bound.
pub fn binding(env: &Env, name: &str) -> Option<JsValue> {
    let v = Reflect::get(env, &JsValue::from_str(name)).ok()?;
    (!v.is_undefined() && !v.is_null()).then_some(v)
}
