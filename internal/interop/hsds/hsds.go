// Package hsds holds the Open Referral HSDS 3.0 objects belong writes, field by
// field as the Open Referral schemas name them. The interop service fills them
// from public listings; the API and the export write them as JSON.
package hsds

// HSDS 3.0 objects, field by field as the Open Referral schemas name them.
// Fields whose name starts with x_ are belong's own extensions, which HSDS
// allows; README.md lists them. Every id is a UUID that stays the same from one
// answer to the next: listing and organization ids are the database's, the
// rest are named after them (see interop's nameID).

// Version is the version of HSDS this API and the export follow.
const Version = "3.0"

// Info answers GET /hsds/.
type Info struct {
	Version    string `json:"version"`
	Profile    string `json:"profile"`
	OpenAPIURL string `json:"openapi_url"`
}

// Page is the spec's pagination object around a list of T.
type Page[T any] struct {
	TotalItems int `json:"total_items"`
	TotalPages int `json:"total_pages"`
	PageNumber int `json:"page_number"`
	// Size is the page size asked for (per_page), not how many are on this
	// page: that is len(contents), and empty says when it is zero.
	Size      int  `json:"size"`
	FirstPage bool `json:"first_page"`
	LastPage  bool `json:"last_page"`
	Empty     bool `json:"empty"`
	Contents  []T  `json:"contents"`
}

// ServiceFields are a service's one-to-one fields: what /hsds/services lists
// unless full=true asks for the nested records too.
type ServiceFields struct {
	ID                     string `json:"id"`
	OrganizationID         string `json:"organization_id"`
	Name                   string `json:"name"`
	Description            string `json:"description"`
	URL                    string `json:"url,omitempty"`
	Email                  string `json:"email,omitempty"`
	Status                 string `json:"status"`
	InterpretationServices string `json:"interpretation_services,omitempty"`
	ApplicationProcess     string `json:"application_process,omitempty"`
	FeesDescription        string `json:"fees_description,omitempty"`
	AssuredDate            string `json:"assured_date"`
	Alert                  string `json:"alert,omitempty"`
	// XConfirmedBy says who last confirmed the listing: organizer, moderator or import.
	XConfirmedBy string `json:"x_confirmed_by"`
	// XFreshness is fresh, aging or stale, from the assured date.
	XFreshness string `json:"x_freshness"`
	// XUpdatedAt is when the listing last changed (RFC 3339), what
	// modified_after compares with.
	XUpdatedAt string `json:"x_updated_at"`
	// XPageURL is the group's page on this directory.
	XPageURL string `json:"x_page_url"`
}

// Service is a service with its nested records. Nested lists are left out
// when empty, and all of them are when a list asks for one-to-one fields only;
// the export writes each kind of record to its own file the same way.
type Service struct {
	ServiceFields
	Organization       *Organization       `json:"organization,omitempty"`
	Phones             []Phone             `json:"phones,omitempty"`
	Schedules          []Schedule          `json:"schedules,omitempty"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Languages          []Language          `json:"languages,omitempty"`
	CostOptions        []CostOption        `json:"cost_options,omitempty"`
	Attributes         []Attribute         `json:"attributes,omitempty"`
}

// ServiceMinimal is a service as minimal=true lists it: enough to tell what
// changed since a client last looked.
type ServiceMinimal struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Status       string `json:"status"`
	ModifiedDate string `json:"modified_date"`
}

// Organization runs services.
type Organization struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Email       string  `json:"email,omitempty"`
	Website     string  `json:"website,omitempty"`
	Phones      []Phone `json:"phones,omitempty"`
	// Services are the organization's services, one-to-one fields only unless
	// full_service asks for them nested.
	Services []Service `json:"services,omitempty"`
}

// ServiceAtLocation links a service to a place or an online room.
type ServiceAtLocation struct {
	ID         string    `json:"id"`
	ServiceID  string    `json:"service_id"`
	LocationID string    `json:"location_id"`
	Location   *Location `json:"location,omitempty"`
}

// Location is a physical place or a virtual room. A discreet place has no name,
// street, postal code, transport notes or coordinates here, as on its page.
type Location struct {
	ID             string          `json:"id"`
	LocationType   string          `json:"location_type"`
	URL            string          `json:"url,omitempty"`
	Name           string          `json:"name,omitempty"`
	Transportation string          `json:"transportation,omitempty"`
	Latitude       *float64        `json:"latitude,omitempty"`
	Longitude      *float64        `json:"longitude,omitempty"`
	Addresses      []Address       `json:"addresses,omitempty"`
	Accessibility  []Accessibility `json:"accessibility,omitempty"`
	// XDiscreet says the address is given only to people who ask.
	XDiscreet bool `json:"x_discreet"`
}

// Address is where a physical place is. address_1 and postal_code are empty
// strings for a discreet place: HSDS requires the fields, the place withholds them.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Accessibility is one physical-access tag of a place.
type Accessibility struct {
	ID          string      `json:"id"`
	LocationID  string      `json:"location_id"`
	Description string      `json:"description"`
	Details     string      `json:"details,omitempty"`
	Attributes  []Attribute `json:"attributes,omitempty"`
}

// Schedule is one recurring pattern. timezone is a UTC offset in hours, as
// HSDS 3.0 has it: the offset at the next meeting, since daylight saving time
// moves it; x_timezone_name is the IANA zone that rules it all year.
type Schedule struct {
	ID          string   `json:"id"`
	ServiceID   string   `json:"service_id"`
	Freq        string   `json:"freq"`
	Interval    int      `json:"interval"`
	ByDay       string   `json:"byday,omitempty"`
	ByMonthDay  *int     `json:"bymonthday,omitempty"`
	OpensAt     string   `json:"opens_at"`
	ClosesAt    string   `json:"closes_at"`
	DTStart     string   `json:"dtstart"`
	Until       string   `json:"until,omitempty"`
	Timezone    float64  `json:"timezone"`
	Description string   `json:"description,omitempty"`
	Notes       string   `json:"notes,omitempty"`
	XTimezone   string   `json:"x_timezone_name"`
	XSkipDates  []string `json:"x_skip_dates,omitempty"`
}

// Phone is a number to call: the group's, or the one to join a meeting by phone.
type Phone struct {
	ID             string `json:"id"`
	ServiceID      string `json:"service_id,omitempty"`
	OrganizationID string `json:"organization_id,omitempty"`
	Number         string `json:"number"`
	Type           string `json:"type,omitempty"`
	Description    string `json:"description,omitempty"`
}

// Language is a language the group meets in.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id"`
	Name      string `json:"name"`
	Code      string `json:"code"`
}

// CostOption is what taking part costs, where a cost tag says.
type CostOption struct {
	ID                string   `json:"id"`
	ServiceID         string   `json:"service_id"`
	Option            string   `json:"option"`
	Amount            *float64 `json:"amount,omitempty"`
	AmountDescription string   `json:"amount_description,omitempty"`
}

// Attribute links a service (or a place's accessibility) to a taxonomy term,
// with how far it offers what the term describes: yes, partly or no. A term
// that is absent is not reported yet, never no.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id"`
	LinkType       string        `json:"link_type"`
	LinkEntity     string        `json:"link_entity"`
	TaxonomyTermID string        `json:"taxonomy_term_id"`
	Value          string        `json:"value"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
	XNote          string        `json:"x_note,omitempty"`
	XConfirmedAt   string        `json:"x_confirmed_at,omitempty"`
}

// Taxonomy is a vocabulary terms come from.
type Taxonomy struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	URI         string `json:"uri,omitempty"`
	Version     string `json:"version,omitempty"`
}

// TaxonomyTerm is one term: a barrier category, a barrier tag, or an Open
// Eligibility term that a tag means the same as.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ParentID    string `json:"parent_id,omitempty"`
	Taxonomy    string `json:"taxonomy"`
	TaxonomyID  string `json:"taxonomy_id"`
	Language    string `json:"language"`
}
