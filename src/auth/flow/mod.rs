//! The login flows, each "what the user has → a token response → an account record":
//! credentials alone — a client secret, a signed JWT or an owner password (`service`) —, the
//! browser with PKCE (`pkce`), a code the caller obtained (`code`), and the device code
//! (`device`, RFC 8628), which also chooses between the two platform-user flows. What they share is one module each in `auth/`: record building (`record`), the
//! end of a login with the platform tooling upgrade (`commit`), config defaults (`defaults`) and
//! the browser stage (`browser`). `login` picks the flow.

pub(super) mod code;
pub(super) mod device;
pub(super) mod pkce;
pub(super) mod service;
