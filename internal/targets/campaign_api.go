package targets

// CampaignJSON is a target's progress on its township's campaign clock as
// GET /api/v1/targets/{id} shows it (see Campaign).
type CampaignJSON struct {
	StartMonth  int      `json:"start_month"`   // N of the 1–N月 figure the campaign starts from; 0 from nothing
	Task        *float64 `json:"task"`          // 攻坚任务; null when the start figure is missing
	Done        *float64 `json:"done"`          // 攻坚以来完成
	ShareOfDays float64  `json:"share_of_days"` // the share of the campaign's days gone, 0..1
	Completion  *float64 `json:"completion"`    // 完成攻坚任务%: done ÷ task
	PacePerWeek *float64 `json:"pace_per_week"` // 尚需每周; null once the campaign is over
	OnPace      bool     `json:"on_pace"`
}

// TargetDetailJSON is one target as GET /api/v1/targets/{id} shows it: the
// list's fields and its campaign progress, null when no campaign of its
// township's year applies or the target has no campaign task.
type TargetDetailJSON struct {
	TargetJSON
	Campaign *CampaignJSON `json:"campaign"`
}

// campaignJSON is the API form of a campaign progress; nil stays nil.
func campaignJSON(p *CampaignProgress) *CampaignJSON {
	if p == nil {
		return nil
	}
	return &CampaignJSON{StartMonth: p.StartMonth, Task: p.Task, Done: p.Done, ShareOfDays: p.ShareOfDays,
		Completion: p.Completion, PacePerWeek: p.PacePerWeek, OnPace: p.OnPace()}
}
