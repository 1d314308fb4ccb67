package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/feeds"
)

// feedRow is one feed as the subscriptions page lists it.
type feedRow struct {
	Feed    directory.Feed
	LastRun *runView
}

// runView is one run of an import with its times written out.
type runView struct {
	directory.FeedRun
	When string
	// Notes are the problems worked around; Left the items left out.
	Notes []directory.ItemProblem
	Left  []directory.ItemProblem
	Kept  []keptType
}

type keptType struct {
	Code  string
	Count int
}

type feedsPage struct {
	Staff staffView
	Feeds []feedRow
	Form  formState
	Done  string
}

type feedPage struct {
	Staff    staffView
	Feed     directory.Feed
	File     bool
	Runs     []runView
	Report   *runView
	Every    string
	Grace    string
	NextSync string
	Done     string
}

const feedTime = "2006-01-02 15:04 UTC"

func viewRun(r directory.FeedRun) runView {
	v := runView{FeedRun: r, When: r.StartedAt.UTC().Format(feedTime)}
	for _, p := range r.Report.Problems {
		if p.Skipped {
			v.Left = append(v.Left, p)
		} else {
			v.Notes = append(v.Notes, p)
		}
	}
	for code, n := range r.Report.KeptTypes {
		v.Kept = append(v.Kept, keptType{Code: code, Count: n})
	}
	slices.SortFunc(v.Kept, func(a, b keptType) int { return strings.Compare(a.Code, b.Code) })
	return v
}

// feedSubscriptions lists every feed with its last sync, and a form to add one.
func (s *Server) feedSubscriptions(c echo.Context) error {
	return s.renderFeeds(c, http.StatusOK, formState{})
}

func (s *Server) renderFeeds(c echo.Context, status int, f formState) error {
	list, err := s.Feeds.Feeds(c.Request().Context())
	if err != nil {
		return err
	}
	rows := make([]feedRow, len(list))
	for i, fd := range list {
		rows[i] = feedRow{Feed: fd}
		if fd.LastRun != nil {
			v := viewRun(*fd.LastRun)
			rows[i].LastRun = &v
		}
	}
	if f.Values == nil {
		f.Values = map[string]string{"every": "6", "grace": "7"}
	}
	return s.render(c, status, "admin_feeds", s.View.I18n.T(s.lang(c), "feeds.title"),
		feedsPage{Staff: staff(signedIn(c)), Feeds: rows, Form: f, Done: done(c, "removed")})
}

// subscribe adds a feed subscription; the worker syncs it within a minute.
func (s *Server) subscribe(c echo.Context) error {
	lang := s.lang(c)
	values := map[string]string{}
	for _, k := range []string{"url", "name", "timezone", "country", "every", "grace", "allow_private"} {
		values[k] = strings.TrimSpace(c.FormValue(k))
	}
	sub := feeds.Subscription{URL: values["url"], Name: values["name"], DefaultTimeZone: values["timezone"],
		DefaultCountry: values["country"], AllowPrivate: values["allow_private"] == "yes",
		SyncEvery: hours(values["every"], -1), Grace: 24 * hours(values["grace"], -1)}
	f, err := s.Feeds.Subscribe(c.Request().Context(), sub, actorOf(c))
	if err != nil {
		form, err := s.refused(lang, err, values, "url", "name", "timezone", "country", "every", "grace")
		if err != nil {
			return err
		}
		return s.renderFeeds(c, http.StatusBadRequest, form)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/feeds/"+f.ID+"?ui="+lang+"&done=added")
}

// hours reads a whole number of hours from a form; anything else is bad.
func hours(s string, bad time.Duration) time.Duration {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 24*365 {
		return bad
	}
	return time.Duration(n) * time.Hour
}

// feedDetail shows one feed: its settings, what can be done, its runs, and
// the report of one run (the latest unless ?run= names another).
func (s *Server) feedDetail(c echo.Context) error {
	ctx := c.Request().Context()
	f, runs, err := s.Feeds.Feed(ctx, c.Param("id"), 10)
	if err != nil {
		return err
	}
	p := feedPage{Staff: staff(signedIn(c)), Feed: f, File: strings.HasPrefix(f.URL, "file:"),
		Every: strconv.Itoa(int(f.SyncEvery.Hours())), Grace: strconv.Itoa(int(f.Grace.Hours() / 24)),
		Done: done(c, "added", "sync", "confirmed")}
	if f.Subscribed && f.NextSyncAt != nil {
		p.NextSync = f.NextSyncAt.UTC().Format(feedTime)
	}
	for _, r := range runs {
		p.Runs = append(p.Runs, viewRun(r))
	}
	if q := c.QueryParam("run"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil {
			return directory.ErrNotFound
		}
		r, err := s.Feeds.Run(ctx, f.ID, id)
		if err != nil {
			return err
		}
		v := viewRun(r)
		p.Report = &v
	} else if len(p.Runs) > 0 {
		p.Report = &p.Runs[0]
	}
	return s.render(c, http.StatusOK, "admin_feed", f.Name+" — "+s.View.I18n.T(s.lang(c), "feeds.title"), p)
}

// syncFeed asks the worker to sync a subscription now.
func (s *Server) syncFeed(c echo.Context) error {
	if err := s.Feeds.RequestSync(c.Request().Context(), c.Param("id"), actorOf(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/feeds/"+c.Param("id")+"?ui="+s.lang(c)+"&done=sync")
}

// confirmFeedDrop accepts a held large drop: the next sync applies it.
func (s *Server) confirmFeedDrop(c echo.Context) error {
	if err := s.Feeds.ConfirmDrop(c.Request().Context(), c.Param("id"), actorOf(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/feeds/"+c.Param("id")+"?ui="+s.lang(c)+"&done=confirmed")
}

// removeFeed deletes a feed; its listings stay.
func (s *Server) removeFeed(c echo.Context) error {
	if err := s.Feeds.Remove(c.Request().Context(), c.Param("id"), actorOf(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/feeds?ui="+s.lang(c)+"&done=removed")
}

// actorOf is how a staff member appears in the audit log: by role and id.
func actorOf(c echo.Context) string {
	u := signedIn(c)
	return string(u.Role) + ":" + u.ID
}
