package server

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/submissions"
)

// apiSubmitted is the answer to an accepted submission.
type apiSubmitted struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// apiSubmit answers POST /api/v1/submissions with the same validator as the form.
// Nothing about the listing is returned: its manage link goes to the private
// address only.
func (s *Server) apiSubmit(c echo.Context) error {
	var sub submissions.Submission
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sub); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The body must be a JSON submission: "+jsonProblem(err))
	}
	if sub.Lang == "" || !s.View.I18n.Supported(sub.Lang) {
		sub.Lang = s.lang(c)
	}
	if err := s.withinSubmitLimit(c, func() error { return s.Submissions.Check(sub) },
		func() error { return s.Submissions.Submit(c.Request().Context(), sub) }); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, apiSubmitted{Status: "received",
		Message: "Thank you. We sent a private link to the contact email; opening it sends the listing to the moderators."})
}

// jsonProblem says what was wrong with a JSON body without echoing it.
func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return "it is not valid JSON"
	case *json.UnmarshalTypeError:
		return "field " + e.Field + " has the wrong type"
	}
	if len(err.Error()) > 120 {
		return "it could not be read"
	}
	return err.Error()
}
