'use strict';

// Errors as the JS SDK (@axway/amplify-sdk 3.2.16) raises them from its JS code: `new
// Type(message)` with an enumerable `code` (`ERR_<NAME>`). Errors from the core are built once,
// in the addon (src/node/mod.rs: `to_js_error`); these are only the SDK's own argument checks.

/** An SDK-style error: `new Type(message)` with an enumerable `code`. */
function sdkError(Type, code, message) {
	const err = new Type(message);
	Object.defineProperty(err, 'code', { configurable: true, enumerable: true, writable: true, value: code });
	return err;
}

/** The SDK's error factories used by the adapter (class and code as in the SDK's errors.js). */
const E = {
	INVALID_ACCOUNT: m => sdkError(TypeError, 'ERR_INVALID_ACCOUNT', m),
	INVALID_ARGUMENT: m => sdkError(TypeError, 'ERR_INVALID_ARGUMENT', m),
	INVALID_PARAMETER: m => sdkError(TypeError, 'ERR_INVALID_PARAMETER', m),
	INVALID_RANGE: m => sdkError(RangeError, 'ERR_INVALID_RANGE', m),
	INVALID_VALUE: m => sdkError(Error, 'ERR_INVALID_VALUE', m),
	MISSING_AUTH_CODE: m => sdkError(TypeError, 'ERR_MISSING_AUTH_CODE', m),
	MISSING_REQUIRED_PARAMETER: m => sdkError(TypeError, 'ERR_MISSING_REQUIRED_PARAMETER', m)
};

/** Throws the SDK's "Expected options to be an object" unless `opts` is an object. */
function checkObject(opts) {
	if (!opts || typeof opts !== 'object') {
		throw E.INVALID_ARGUMENT('Expected options to be an object');
	}
}

module.exports = { E, checkObject, sdkError };
