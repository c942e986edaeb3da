package sklearn

// The error types are unexported (no caller outside the package needs
// their fields); the external tests name them through these aliases to
// check which check refused an input.
type (
	ModelError     = modelError
	NonFiniteError = nonFiniteError
)
