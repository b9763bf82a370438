package httpapi

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/support"
)

type promotionsRequest struct {
	Language string `query:"language" validate:"omitempty,oneof=en sk hu ru"`
}

// ListPromotions serves GET /v1/promotions: the promotions valid now that
// target the customer (by region and by the kinds of its services), in
// the person's language (or ?language=), English where a text is missing,
// with the documentation links.
func ListPromotions(api *API, svc *support.Promotions) Handler {
	return Handle(api, Endpoint[promotionsRequest, support.PromotionList]{
		Route:  "GET /v1/promotions",
		Access: AnyPerson,
		Exec: func(ctx context.Context, req *promotionsRequest) (*support.PromotionList, error) {
			return svc.Active(ctx, PrincipalOf(ctx).Person, clientzone.Language(req.Language))
		},
	})
}

type promotionUpsertRequest struct {
	PromotionID  string                         `path:"promotionId" validate:"required,max=64,excludesall=#/ "`
	Title        map[clientzone.Language]string `json:"title" validate:"required,dive,max=200"`
	Description  map[clientzone.Language]string `json:"description" validate:"dive,max=5000"`
	URL          string                         `json:"url" validate:"omitempty,url,startswith=https://,max=500"`
	ValidFrom    time.Time                      `json:"validFrom" validate:"required"`
	ValidTo      time.Time                      `json:"validTo" validate:"required"`
	ServiceKinds []string                       `json:"serviceKinds" validate:"max=7,dive,oneof=internet voip tv serverhousing hosting domain cloud"`
	Regions      []string                       `json:"regions" validate:"max=50,dive,required,max=100"`
}

// UpsertPromotion serves PUT /admin/v1/promotions/{promotionId} (back
// office): creates or replaces a promotion with its title and description
// per language (English required), validity and optional targeting by
// service kinds and regions.
func UpsertPromotion(api *API, svc *support.Promotions) Handler {
	return Handle(api, Endpoint[promotionUpsertRequest, clientzone.Promotion]{
		Route:  "PUT /admin/v1/promotions/{promotionId}",
		Access: BackOffice,
		Exec: func(ctx context.Context, req *promotionUpsertRequest) (*clientzone.Promotion, error) {
			desc := req.Description
			if desc == nil {
				desc = map[clientzone.Language]string{}
			}
			return svc.Put(ctx, &clientzone.Promotion{
				ID: req.PromotionID, Title: req.Title, Description: desc, URL: req.URL, ValidFrom: req.ValidFrom, ValidTo: req.ValidTo,
				ServiceKinds: req.ServiceKinds, Regions: req.Regions,
			})
		},
	})
}
