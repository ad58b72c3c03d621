package board

import "guatu/internal/platform/i18n"

// a11yMessages put the light's word beside each count, so the lagging
// units' red / yellow / green counts do not rely on their colour alone.
var a11yMessages = i18n.Catalog{
	"board.lights.red":    {ZH: "红%d", EN: "red %d"},
	"board.lights.yellow": {ZH: "黄%d", EN: "yellow %d"},
	"board.lights.green":  {ZH: "绿%d", EN: "green %d"},
}
