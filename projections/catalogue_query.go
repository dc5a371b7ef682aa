package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"carecost/domain"
)

// Services returns every service, retired ones included, by id.
func (c *CatalogueViews) Services(ctx context.Context) ([]ServiceView, error) {
	rows, err := c.db.r.QueryContext(ctx, `SELECT body, retired FROM services ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("projections: services: %w", err)
	}
	defer rows.Close()
	out := []ServiceView{}
	for rows.Next() {
		var v ServiceView
		if err := scanService(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Service returns one service.
func (c *CatalogueViews) Service(ctx context.Context, id string) (ServiceView, error) {
	var v ServiceView
	err := scanService(c.db.r.QueryRowContext(ctx, `SELECT body, retired FROM services WHERE id = ?`, id), &v)
	if err == sql.ErrNoRows {
		return v, &domain.Error{Code: domain.ENotFound, Message: "there is no service " + id}
	}
	return v, err
}

func scanService(s scanner, v *ServiceView) error {
	var body string
	if err := s.Scan(&body, &v.Retired); err != nil {
		return err
	}
	return json.Unmarshal([]byte(body), &v.Service)
}

// Tariffs returns every tariff with its versions, by id.
func (c *CatalogueViews) Tariffs(ctx context.Context) ([]TariffView, error) {
	return listBodies[TariffView](ctx, c.db, "tariffs")
}

// Tariff returns one tariff with every version.
func (c *CatalogueViews) Tariff(ctx context.Context, id string) (TariffView, error) {
	return oneBody[TariffView](ctx, c.db, "tariffs", id, "there is no tariff "+id)
}

// IncomeCatalogues returns every income-limit catalogue, by id.
func (c *CatalogueViews) IncomeCatalogues(ctx context.Context) ([]IncomeCatalogueView, error) {
	return listBodies[IncomeCatalogueView](ctx, c.db, "income_catalogues")
}

// IncomeCatalogue returns one income-limit catalogue with every version.
func (c *CatalogueViews) IncomeCatalogue(ctx context.Context, id string) (IncomeCatalogueView, error) {
	return oneBody[IncomeCatalogueView](ctx, c.db, "income_catalogues", id, "there is no income-limit catalogue "+id)
}

func listBodies[T any](ctx context.Context, db *DB, table string) ([]T, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT body FROM `+table+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("projections: %s: %w", table, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var body string
		var v T
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			return nil, fmt.Errorf("projections: %s: %w", table, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func oneBody[T any](ctx context.Context, db *DB, table, id, missing string) (T, error) {
	var body string
	var v T
	err := db.r.QueryRowContext(ctx, `SELECT body FROM `+table+` WHERE id = ?`, id).Scan(&body)
	if err == sql.ErrNoRows {
		return v, &domain.Error{Code: domain.ENotFound, Message: missing}
	}
	if err != nil {
		return v, fmt.Errorf("projections: %s %s: %w", table, id, err)
	}
	return v, json.Unmarshal([]byte(body), &v)
}
