package feeds

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Fetcher fetches feed URLs without letting a feed reach what it should not:
// https only; each address the name resolves to is checked when the connection
// is made (so again after every redirect, and a name that resolves to a public
// address once and a private one the next time gains nothing); a bounded
// number of redirects; one deadline for the whole fetch; and a size cap that
// stops reading a body as soon as it is passed.
type Fetcher struct {
	// Timeout bounds the whole fetch, body included.
	Timeout time.Duration
	// MaxBytes is the largest body taken.
	MaxBytes int64
	// MaxRedirects is how many redirects are followed.
	MaxRedirects int
	// TLS, when set, replaces the system's TLS settings (tests trust their own
	// certificate authority through it).
	TLS *tls.Config
	// Public decides whether an address is public; nil means PublicAddr. Tests
	// use it to stand one loopback address in for the internet.
	Public func(netip.Addr) bool
}

// Defaults for fetching a feed: the largest Meeting Guide feeds in use are a
// few megabytes.
const (
	DefaultFetchTimeout = 30 * time.Second
	DefaultMaxBytes     = 20 << 20
	DefaultMaxRedirects = 5
)

// NewFetcher returns a fetcher with the defaults.
func NewFetcher() *Fetcher {
	return &Fetcher{Timeout: DefaultFetchTimeout, MaxBytes: DefaultMaxBytes, MaxRedirects: DefaultMaxRedirects}
}

// ErrRefusedAddress says a feed URL led to an address that is not public.
var ErrRefusedAddress = errors.New("the feed's address is not a public internet address")

// CheckURL says whether a feed URL can be fetched at all: https, with a host
// and no password in it.
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || u.Host == "":
		return nil, errors.New("the feed's address is not a web address")
	case u.Scheme != "https":
		return nil, errors.New("the feed's address must start with https://")
	case u.User != nil:
		return nil, errors.New("the feed's address must not hold a user name or password")
	case len(raw) > 2000:
		return nil, errors.New("the feed's address is longer than 2,000 characters")
	}
	return u, nil
}

// Fetch returns the body of a feed URL. allowPrivate lets it reach private
// and loopback addresses: an admin's explicit choice for one subscription.
func (f *Fetcher) Fetch(ctx context.Context, raw string, allowPrivate bool) ([]byte, error) {
	u, err := CheckURL(raw)
	if err != nil {
		return nil, err
	}
	public := f.Public
	if public == nil {
		public = PublicAddr
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrRefusedAddress, address)
		}
		if !allowPrivate && !public(ap.Addr().Unmap()) {
			return fmt.Errorf("%w (%s)", ErrRefusedAddress, ap.Addr())
		}
		return nil
	}}
	transport := &http.Transport{
		// Never a proxy from the environment: it would do the dialling, and
		// the address check with it.
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		TLSClientConfig:        f.TLS,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  f.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		DisableKeepAlives:      true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: f.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > f.MaxRedirects {
				return fmt.Errorf("the feed redirected more than %d times", f.MaxRedirects)
			}
			if req.URL.Scheme != "https" {
				return errors.New("the feed redirected to an address that is not https")
			}
			return nil
		}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "belong-feed-sync (+https://github.com/belong-directory/belong)")
	resp, err := client.Do(req)
	if err != nil {
		return nil, explain(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the feed answered %s", resp.Status)
	}
	if resp.ContentLength > f.MaxBytes {
		return nil, fmt.Errorf("the feed is %d bytes; at most %d are taken", resp.ContentLength, f.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.MaxBytes+1))
	if err != nil {
		return nil, explain(err)
	}
	if int64(len(body)) > f.MaxBytes {
		return nil, fmt.Errorf("the feed is larger than %d bytes, the most taken", f.MaxBytes)
	}
	return body, nil
}

// explain turns a transport error into what a person can act on.
func explain(err error) error {
	var netErr net.Error
	switch {
	case errors.Is(err, ErrRefusedAddress):
		var ue *url.Error
		if errors.As(err, &ue) {
			return fmt.Errorf("%w; ask an admin to allow private addresses for this feed if it is on your own network (%s)",
				ErrRefusedAddress, ue.URL)
		}
		return err
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("the feed did not answer in time: %w", context.DeadlineExceeded)
	}
	return fmt.Errorf("the feed could not be fetched: %w", err)
}

// Address ranges that are not the public internet beyond what netip names:
// shared address space (carrier-grade NAT), IETF protocol assignments,
// benchmarking, reserved, NAT64 and 6to4 (which embed IPv4 addresses), and
// documentation ranges.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("100::/64"),
}

// PublicAddr reports whether an address is on the public internet: not
// loopback, private, link-local, multicast, unspecified or reserved.
func PublicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}
