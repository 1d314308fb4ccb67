// Package interop speaks the open-data formats other directories and apps read:
// the Meeting Guide feed that recovery-meeting apps import, and Open Referral
// HSDS 3.0, the format of 211 systems and community resource directories. It
// builds every answer from the directory's public views (PublishedListings and
// PublicListing), never from stored listings, so an export can show nothing that
// a group page would not. It knows nothing of HTTP or SQL.
package interop
