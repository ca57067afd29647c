//! The device login's part of the napi boundary: `device`, `onDeviceCode`, `onSelectOrg` and
//! `org` of `login` options, and the small helpers the command uses around it (the QR code of
//! the verification link, the headless check, where tokens are kept).

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::auth::{self, DeviceCodeInfo, DeviceMode, DeviceOptions, OrgChoice};
use crate::error::Error as CoreError;

/// Reads `device` (`true`, `false` or `'auto'`), `onDeviceCode` and `onSelectOrg` from login
/// options (`org` comes from the parsed options).
pub(super) fn device_options(options: Option<&Object>) -> crate::Result<DeviceOptions> {
    let Some(options) = options else {
        return Ok(DeviceOptions::default());
    };
    let invalid =
        |what: &str, e: Error| CoreError::InvalidArgument(format!("Invalid {what}: {}", e.reason));
    let mode = match options
        .get_named_property::<Option<Either<bool, String>>>("device")
        .map_err(|_| {
            CoreError::InvalidArgument("Invalid device: expected true, false or \"auto\"".into())
        })? {
        None | Some(Either::A(false)) => DeviceMode::Off,
        Some(Either::A(true)) => DeviceMode::On,
        Some(Either::B(s)) if s == "auto" => DeviceMode::Auto,
        Some(Either::B(other)) => {
            return Err(CoreError::InvalidArgument(format!(
                "Invalid device \"{other}\": expected true, false or \"auto\""
            )))
        }
    };
    Ok(DeviceOptions {
        mode,
        on_device_code: device_code_hook(options).map_err(|e| invalid("onDeviceCode", e))?,
        org: None,
        on_select_org: select_org_hook(options).map_err(|e| invalid("onSelectOrg", e))?,
    })
}

/// `onDeviceCode(info)`: a throw cancels the login with the thrown message.
fn device_code_hook(options: &Object) -> Result<Option<auth::DeviceCodeHook>> {
    super::notify_hook(options, "onDeviceCode", |info: DeviceCodeInfo| {
        serde_json::to_value(info).map_err(|e| e.to_string())
    })
}

type OrgAnswer = Either<Promise<Option<String>>, Option<String>>;

/// `onSelectOrg({ orgs, current })`: resolves (or returns) the org's guid, id or name, or
/// nothing to keep the platform's selection; a throw or rejection cancels the login.
fn select_org_hook(options: &Object) -> Result<Option<auth::SelectOrgHook>> {
    let callback: Option<Function<serde_json::Value, OrgAnswer>> =
        options.get_named_property("onSelectOrg")?;
    let Some(callback) = callback else {
        return Ok(None);
    };
    let tsfn = Arc::new(
        callback
            .build_threadsafe_function()
            .callee_handled::<false>()
            .build()?,
    );
    Ok(Some(Arc::new(move |choice: OrgChoice| {
        let tsfn = tsfn.clone();
        Box::pin(async move {
            let choice = serde_json::to_value(choice).map_err(|e| e.to_string())?;
            let answer = tsfn
                .call_async_catch(choice)
                .await
                .map_err(|e| e.reason.clone())?;
            match answer {
                Either::A(promise) => promise.await.map_err(|e| e.reason.clone()),
                Either::B(value) => Ok(value),
            }
            .map(|org| org.filter(|o| !o.is_empty()))
        })
    })))
}

/// The text of a QR code for `text` (the complete verification link), drawn with Unicode half
/// blocks (two rows per line) and a quiet zone, dark on light, for printing in a terminal.
#[napi]
pub fn qr_code(text: String) -> Result<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| Error::from_reason(format!("Cannot draw a QR code: {e}")))?;
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// Why no browser can reach the user from this machine (an SSH session, a container, no
/// display), or `null`. A platform login with `device: 'auto'` then uses the device login when
/// the identity server offers it, else shows the browser login's link.
#[napi]
pub fn headless_reason() -> Option<String> {
    crate::headless::detect()
}

/// Where tokens are kept: `{ type: 'secure' | 'file' | 'memory' | 'null', path }` (`secure`:
/// the file is encrypted with a key in the OS keychain).
#[napi(
    ts_args_type = "options?: AuthOptions",
    ts_return_type = "Promise<{ type: 'secure' | 'file' | 'memory' | 'null'; path: string | null }>"
)]
pub fn store_location<'env>(
    env: &'env Env,
    options: Option<Object>,
) -> Result<PromiseRaw<'env, Unknown<'env>>> {
    let (profile, prepared) = super::resolve(env, options);
    super::settle(env, profile, async move {
        auth::store_location(&prepared?.settings)
    })
}
