package targets

import (
	"encoding/json"
	"net/http"
	"strconv"

	"guatu/internal/platform/web"
)

func (h *Handlers) apiRoutes(rt *web.Router) {
	rt.Handle("GET /api/v1/targets", h.apiTargets)
	rt.Handle("POST /api/v1/targets", h.apiCreateTarget)
	rt.Handle("GET /api/v1/targets/{id}", h.apiTarget)
	rt.Handle("PATCH /api/v1/targets/{id}", h.apiPatchTarget)
	rt.Handle("GET /api/v1/targets/{id}/figures", h.apiFigures)
	rt.Handle("POST /api/v1/targets/{id}/figures", h.apiAddFigure)
	rt.Handle("GET /api/v1/indicators", h.apiIndicators)
}

// TargetJSON is a target as the API shows it: the target, its owner, the
// current figure and its schedule progress.
type TargetJSON struct {
	ID            int64     `json:"id"`
	Year          int       `json:"year"`
	IndicatorID   int64     `json:"indicator_id"`
	Indicator     string    `json:"indicator"`
	MeasureUnit   string    `json:"measure_unit"`
	UnitID        int64     `json:"unit_id"`
	Unit          string    `json:"unit"`
	PersonID      *int64    `json:"person_id"`
	Person        *string   `json:"person"`
	LeaderID      *int64    `json:"leader_id"`
	Leader        *string   `json:"leader"`
	ParentID      *int64    `json:"parent_id"`
	Measure       Measure   `json:"measure"`
	Kind          Kind      `json:"kind"`
	Direction     Direction `json:"direction"`
	TargetValue   float64   `json:"target_value"`
	StriveValue   *float64  `json:"strive_value"`
	LastYearTotal *float64  `json:"last_year_total"`
	Actual        *float64  `json:"actual"`
	RolledUp      bool      `json:"rolled_up"`
	Period        *string   `json:"period"`
	ExpectedShare float64   `json:"expected_share"`
	Completion    *float64  `json:"completion"`
	Gap           *float64  `json:"gap"`
	YoYGrowth     *float64  `json:"yoy_growth"`
	Light         *Light    `json:"light"`
	Met           bool      `json:"met"`
	OverAchieved  bool      `json:"over_achieved"`
	OverCeiling   bool      `json:"over_ceiling"`
	Forecast      *float64  `json:"forecast"`
	ForecastNote  string    `json:"forecast_note"`
	PaceNeeded    *float64  `json:"pace_needed"`
	Allowance     *float64  `json:"allowance"`
	AllowancePace *float64  `json:"allowance_per_month"`
	CeilingNote   string    `json:"ceiling_note"`
}

// AppendJSON appends t as encoding/json would write it (in field order,
// HTML unescaped), without reflection: a page of the API's list writes fifty
// of them, thousands of times a second. A test holds the two equal.
func (t TargetJSON) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, t.ID, 10)
	b = append(b, `,"year":`...)
	b = strconv.AppendInt(b, int64(t.Year), 10)
	b = append(b, `,"indicator_id":`...)
	b = strconv.AppendInt(b, t.IndicatorID, 10)
	b = append(b, `,"indicator":`...)
	b = web.AppendJSONString(b, t.Indicator)
	b = append(b, `,"measure_unit":`...)
	b = web.AppendJSONString(b, t.MeasureUnit)
	b = append(b, `,"unit_id":`...)
	b = strconv.AppendInt(b, t.UnitID, 10)
	b = append(b, `,"unit":`...)
	b = web.AppendJSONString(b, t.Unit)
	b = append(b, `,"person_id":`...)
	b = web.AppendJSONIntPtr(b, t.PersonID)
	b = append(b, `,"person":`...)
	b = web.AppendJSONStringPtr(b, t.Person)
	b = append(b, `,"leader_id":`...)
	b = web.AppendJSONIntPtr(b, t.LeaderID)
	b = append(b, `,"leader":`...)
	b = web.AppendJSONStringPtr(b, t.Leader)
	b = append(b, `,"parent_id":`...)
	b = web.AppendJSONIntPtr(b, t.ParentID)
	b = append(b, `,"measure":`...)
	b = web.AppendJSONString(b, string(t.Measure))
	b = append(b, `,"kind":`...)
	b = web.AppendJSONString(b, string(t.Kind))
	b = append(b, `,"direction":`...)
	b = web.AppendJSONString(b, string(t.Direction))
	b = append(b, `,"target_value":`...)
	b = web.AppendJSONFloat(b, t.TargetValue)
	b = append(b, `,"strive_value":`...)
	b = web.AppendJSONFloatPtr(b, t.StriveValue)
	b = append(b, `,"last_year_total":`...)
	b = web.AppendJSONFloatPtr(b, t.LastYearTotal)
	b = append(b, `,"actual":`...)
	b = web.AppendJSONFloatPtr(b, t.Actual)
	b = append(b, `,"rolled_up":`...)
	b = strconv.AppendBool(b, t.RolledUp)
	b = append(b, `,"period":`...)
	b = web.AppendJSONStringPtr(b, t.Period)
	b = append(b, `,"expected_share":`...)
	b = web.AppendJSONFloat(b, t.ExpectedShare)
	b = append(b, `,"completion":`...)
	b = web.AppendJSONFloatPtr(b, t.Completion)
	b = append(b, `,"gap":`...)
	b = web.AppendJSONFloatPtr(b, t.Gap)
	b = append(b, `,"yoy_growth":`...)
	b = web.AppendJSONFloatPtr(b, t.YoYGrowth)
	b = append(b, `,"light":`...)
	if t.Light == nil {
		b = append(b, "null"...)
	} else {
		b = web.AppendJSONString(b, string(*t.Light))
	}
	b = append(b, `,"met":`...)
	b = strconv.AppendBool(b, t.Met)
	b = append(b, `,"over_achieved":`...)
	b = strconv.AppendBool(b, t.OverAchieved)
	b = append(b, `,"over_ceiling":`...)
	b = strconv.AppendBool(b, t.OverCeiling)
	b = append(b, `,"forecast":`...)
	b = web.AppendJSONFloatPtr(b, t.Forecast)
	b = append(b, `,"forecast_note":`...)
	b = web.AppendJSONString(b, string(t.ForecastNote))
	b = append(b, `,"pace_needed":`...)
	b = web.AppendJSONFloatPtr(b, t.PaceNeeded)
	b = append(b, `,"allowance":`...)
	b = web.AppendJSONFloatPtr(b, t.Allowance)
	b = append(b, `,"allowance_per_month":`...)
	b = web.AppendJSONFloatPtr(b, t.AllowancePace)
	b = append(b, `,"ceiling_note":`...)
	b = web.AppendJSONString(b, t.CeilingNote)
	return append(b, '}')
}

// JSON returns the API form of a row.
func (r Row) JSON() TargetJSON {
	t := TargetJSON{
		ID: r.ID, Year: r.Year, IndicatorID: r.IndicatorID, Indicator: r.Indicator.Name, MeasureUnit: r.Indicator.MeasureUnit,
		UnitID: r.UnitID, Unit: r.UnitName, PersonID: r.PersonID, LeaderID: r.LeaderID, ParentID: r.ParentID,
		Measure: r.Indicator.Measure, Kind: r.Kind, Direction: r.Indicator.Direction,
		TargetValue: r.Value, StriveValue: r.Strive, LastYearTotal: r.LastYearTotal,
		Actual: r.Actual, RolledUp: r.RolledUp, ExpectedShare: r.Progress.ExpectedShare,
		Completion: r.Progress.Completion, Gap: r.Progress.Gap, YoYGrowth: r.Progress.YoYGrowth,
		Met: r.Progress.Met, OverAchieved: r.Progress.OverAchieved, OverCeiling: r.Progress.OverCeiling,
		Forecast: r.Progress.Forecast, ForecastNote: string(r.Progress.ForecastNote), PaceNeeded: r.Progress.PaceNeeded,
		Allowance: r.Progress.Allowance, AllowancePace: r.Progress.AllowancePace, CeilingNote: string(r.Progress.CeilingNote),
	}
	if r.PersonID != nil {
		name := r.PersonName
		t.Person = &name
	}
	if r.LeaderID != nil {
		name := r.LeaderName
		t.Leader = &name
	}
	if r.Period != "" {
		p := r.Period
		t.Period = &p
	}
	if r.Progress.Light != LightNone {
		l := r.Progress.Light
		t.Light = &l
	}
	return t
}

// apiPageSize is GET /api/v1/targets's limit when none is asked for.
const apiPageSize = 200

func (h *Handlers) apiTargets(w http.ResponseWriter, r *http.Request) error {
	l, err := targetsList.ParseAPI(r, apiPageSize)
	if err != nil {
		return err
	}
	rows, err := h.Store.Targets(r.Context(), filterOf(l, h.year(l)), l)
	if err != nil {
		return err
	}
	// Written field by field (TargetJSON.AppendJSON), as WriteJSON would
	// write a TargetsJSON.
	b := make([]byte, 0, 600*len(rows)+64)
	b = append(b, `{"targets":[`...)
	for i, row := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = row.JSON().AppendJSON(b)
	}
	b = append(b, `],"total":`...)
	b = strconv.AppendInt(b, int64(l.Total), 10)
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b)
	return err
}

// TargetsJSON is a page of GET /api/v1/targets.
type TargetsJSON struct {
	Targets []TargetJSON `json:"targets"`
	Total   int          `json:"total"`
}

func (h *Handlers) apiTarget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	row, err := h.Store.Target(r.Context(), id)
	if err != nil {
		return err
	}
	camp, _, err := h.Store.CampaignRows(r.Context(), []Row{row}, row.Year)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, TargetDetailJSON{TargetJSON: row.JSON(), Campaign: campaignJSON(camp[row.ID])})
}

func (h *Handlers) apiFigures(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	hist, err := h.Store.History(r.Context(), id)
	if err != nil {
		return err
	}
	if hist == nil {
		hist = []Figure{}
	}
	return web.WriteJSON(w, http.StatusOK, map[string]any{"figures": hist})
}

func (h *Handlers) apiIndicators(w http.ResponseWriter, r *http.Request) error {
	inds, err := h.Store.Indicators(r.Context())
	if err != nil {
		return err
	}
	if inds == nil {
		inds = []Indicator{}
	}
	return web.WriteJSON(w, http.StatusOK, map[string]any{"indicators": inds})
}

// TargetRequest is the body of POST /api/v1/targets.
type TargetRequest struct {
	IndicatorID   int64    `json:"indicator_id"`
	UnitID        int64    `json:"unit_id"`
	PersonID      *int64   `json:"person_id"`
	LeaderID      *int64   `json:"leader_id"`
	ParentID      *int64   `json:"parent_id"`
	Year          int      `json:"year"`
	Kind          Kind     `json:"kind"`
	TargetValue   *float64 `json:"target_value"`
	Share         *float64 `json:"share"`
	StriveValue   *float64 `json:"strive_value"`
	LastYearTotal *float64 `json:"last_year_total"`
	Weight        *float64 `json:"weight"`
	Note          string   `json:"note"`
	MeasureUnit   string   `json:"measure_unit"`
}

func (h *Handlers) apiCreateTarget(w http.ResponseWriter, r *http.Request) error {
	var req TargetRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	row, err := h.Store.CreateTarget(r.Context(), TargetInput{
		IndicatorID: req.IndicatorID, UnitID: req.UnitID, PersonID: req.PersonID, LeaderID: req.LeaderID, ParentID: req.ParentID,
		Year: req.Year, Kind: req.Kind, Value: req.TargetValue, Share: req.Share, Strive: req.StriveValue,
		LastYearTotal: req.LastYearTotal, Weight: req.Weight, Note: req.Note, MeasureUnit: req.MeasureUnit,
	})
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, row.JSON())
}

// TargetPatch is the body of PATCH /api/v1/targets/{id}: what may change of
// a target once set, its leader in charge (分管领导). leader_id null clears
// it; a field left out stays as it is; any other field is refused.
type TargetPatch struct {
	LeaderID optionalID `json:"leader_id"`
}

func (h *Handlers) apiPatchTarget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req TargetPatch
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	row, err := h.Store.Target(r.Context(), id)
	if err != nil {
		return err
	}
	if req.LeaderID.Set {
		if row, err = h.Store.SetLeader(r.Context(), id, req.LeaderID.Value); err != nil {
			return err
		}
	}
	return web.WriteJSON(w, http.StatusOK, row.JSON())
}

// optionalID is a JSON id that tells a field left out (Set false) from one
// sent as null (Set, Value nil).
type optionalID struct {
	Value *int64
	Set   bool
}

// UnmarshalJSON is called only for a field that is present, null included.
func (o *optionalID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = optionalID{Set: true}
		return nil
	}
	var v int64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = optionalID{Value: &v, Set: true}
	return nil
}

// FigureRequest is the body of POST /api/v1/targets/{id}/figures. In a
// correction (a period that has a figure) a value or last_year_value left
// out keeps the kept one, and last_year_value null clears it; reason is then
// required.
type FigureRequest struct {
	Period        string         `json:"period"`
	AsOf          string         `json:"as_of"` // a 调度数's day, YYYY-MM-DD; period may then be left out
	Value         *float64       `json:"value"`
	LastYearValue optionalNumber `json:"last_year_value"`
	Note          string         `json:"note"`
	Reason        string         `json:"reason"`
	Correction    bool           `json:"correction"`
	Confirm       bool           `json:"confirm"`
	MeasureUnit   string         `json:"measure_unit"`
}

func (h *Handlers) apiAddFigure(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req FigureRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	f, err := h.Store.AddFigure(r.Context(), id, FigureInput{
		Period: req.Period, AsOf: req.AsOf, Value: req.Value, LastYear: req.LastYearValue.Value, ClearLastYear: req.LastYearValue.Null, Note: req.Note, Source: "api",
		Reason: req.Reason, Correction: req.Correction, Confirm: req.Confirm, KeepEmpty: true, MeasureUnit: req.MeasureUnit,
	})
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, f)
}

// optionalNumber is a JSON number that tells a field left out (the zero
// value) from one sent as null (Null), which a correction needs: left out
// keeps the kept value, null clears it.
type optionalNumber struct {
	Value *float64
	Null  bool
}

// UnmarshalJSON is called only for a field that is present, null included.
func (o *optionalNumber) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = optionalNumber{Null: true}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = optionalNumber{Value: &v}
	return nil
}
