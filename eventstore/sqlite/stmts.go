package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// statement names a prepared statement field and its SQL.
type statement struct {
	stmt  **sql.Stmt
	query string
}

// preparer is a *sql.DB or a *sql.Conn.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// prepareAll prepares every statement of list; when one fails it closes the
// ones before it.
func prepareAll(ctx context.Context, p preparer, list []statement) error {
	for i, st := range list {
		var err error
		if *st.stmt, err = p.PrepareContext(ctx, st.query); err != nil {
			closeAll(list[:i])
			return fmt.Errorf("prepare %q: %w", st.query, err)
		}
	}
	return nil
}

// closeAll closes the prepared statements of list.
func closeAll(list []statement) error {
	var errs []error
	for _, st := range list {
		if *st.stmt != nil {
			errs = append(errs, (*st.stmt).Close())
			*st.stmt = nil
		}
	}
	return errors.Join(errs...)
}
