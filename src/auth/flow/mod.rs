//! The login flows, each "what the user has → a token response → an account record":
//! client credentials with a secret or a signed JWT (`service`), the browser with PKCE
//! (`pkce`), and the device code (`device`, RFC 8628), which also chooses between the two
//! platform-user flows. What they share is one module each in `auth/`: record building (`record`), the
//! end of a login with the platform tooling upgrade (`commit`), config defaults (`defaults`) and
//! the browser stage (`browser`). `login` picks the flow.

pub(super) mod device;
pub(super) mod pkce;
pub(super) mod service;
