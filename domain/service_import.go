package domain

import (
	"context"
	"fmt"
)

// ImportReport says what an import wrote and what it left alone.
type ImportReport struct {
	Services         int      `json:"services_defined"`
	Tariffs          []string `json:"tariffs_created"`
	IncomeCatalogues []string `json:"income_catalogues_created"`
	Skipped          []string `json:"skipped,omitempty"`
	Position         Position `json:"position"`
}

// ImportCatalogue writes a catalogue set to the store: services are defined
// (a changed definition updates the service), and each tariff or income-limit
// catalogue that does not exist yet is written with its whole history.
// Existing tariffs and income-limit catalogues are left alone and reported as
// skipped: versions are changed through drafts, not by import.
func (c *Commands) ImportCatalogue(ctx context.Context, cmd Command, set *CatalogueSet) (ImportReport, error) {
	var rep ImportReport
	meta := cmd.meta()
	_, r, err := update(ctx, c.store, cmd, NewCatalogue, func(a *Catalogue) error {
		for _, s := range set.Catalogue.Services() {
			if err := a.Define(s); err != nil {
				return err
			}
		}
		rep.Services = len(a.changes)
		return nil
	})
	if err != nil {
		return rep, err
	}
	rep.Position = r.Position
	for _, id := range sortedIDs(set.Tariffs) {
		created, pos, err := c.writeNew(ctx, meta, set.Tariffs[id])
		if err != nil {
			return rep, err
		}
		rep.note(created, "tariff "+id, &rep.Tariffs, id, pos)
	}
	for _, id := range sortedIDs(set.Incomes) {
		created, pos, err := c.writeNew(ctx, meta, set.Incomes[id])
		if err != nil {
			return rep, err
		}
		rep.note(created, "income-limit catalogue "+id, &rep.IncomeCatalogues, id, pos)
	}
	return rep, nil
}

func (rep *ImportReport) note(created bool, what string, list *[]string, id string, pos Position) {
	if !created {
		rep.Skipped = append(rep.Skipped, what+" exists")
		return
	}
	*list = append(*list, id)
	rep.Position = rep.Position.Max(pos)
}

// writeNew appends the recorded events of a new aggregate as a new stream;
// it reports false when the stream exists already.
func (c *Commands) writeNew(ctx context.Context, meta Meta, a aggregate) (bool, Position, error) {
	events, err := EncodeEvents(a.Stream(), meta, a.base().changes)
	if err != nil {
		return false, Position{}, err
	}
	res, err := c.store.Append(ctx, a.Stream(), NoStream, events...)
	switch {
	case err == nil:
		return true, res.Position, nil
	case ErrorCode(err) == EConflict:
		return false, Position{}, nil
	}
	return false, Position{}, fmt.Errorf("domain: import %s: %w", a.Stream(), err)
}
