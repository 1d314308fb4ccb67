package server

// CorrectionBurst is how many corrections one client may send at once, for
// the rate-limit test outside the package.
var CorrectionBurst = correctionLimit.Burst
