package directory

import (
	"errors"
	"strings"
)

// Sentinel errors that every layer above the store understands.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
	// ErrUnavailable means the source of truth could not answer in time: down,
	// restarting or too busy. It is nobody's fault and worth trying again soon.
	ErrUnavailable = errors.New("temporarily unavailable")
)

// FieldError is one problem with one field, with a translation key for the message
// a person sees and a plain English message for logs and API clients.
type FieldError struct {
	Field   string `json:"field"`
	Key     string `json:"key"`
	Message string `json:"message"`
}

// ValidationError carries every field problem found, so a form can show each one
// next to its field.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a problem; it returns the receiver so checks can chain.
func (e *ValidationError) Add(field, key, message string) *ValidationError {
	e.Fields = append(e.Fields, FieldError{Field: field, Key: key, Message: message})
	return e
}

// Err returns nil when nothing was added, so callers can `return v.Err()`.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}
