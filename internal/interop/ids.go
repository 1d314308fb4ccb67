package interop

import (
	"crypto/sha1" //nolint:gosec // UUIDv5 is defined on SHA-1; nothing secret is hashed
	"fmt"
	"regexp"
)

// namespace is belong's own UUID namespace. Ids of things the database does not
// keep an id for (a taxonomy term, a schedule's place in its listing) are UUIDv5
// names in it, so the same thing has the same id in every answer and export.
var namespace = [16]byte{0x6b, 0x1e, 0x0c, 0x52, 0x3f, 0x9a, 0x4d, 0x27, 0x9b, 0x51, 0x0e, 0x8d, 0x2c, 0x47, 0xa1, 0x63}

// nameID returns the RFC 9562 version 5 UUID of a name in belong's namespace.
// Stored location and schedule ids change whenever a listing is saved again
// (its children are replaced whole), so those are named after the listing and
// their position instead.
func nameID(parts ...string) string {
	h := sha1.New() //nolint:gosec // see the import
	h.Write(namespace[:])
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{'/'})
		}
		h.Write([]byte(p))
	}
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = (u[6] & 0x0f) | 0x50
	u[8] = (u[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// isUUID reports whether s is a UUID in its canonical, lower-case form.
func isUUID(s string) bool { return uuidPattern.MatchString(s) }
