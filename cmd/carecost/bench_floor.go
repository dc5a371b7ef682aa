package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"

	"carecost/eventstore/sqlite"
)

// floorColumns are the columns of the log the read models use.
const floorColumns = "position, stream, type, data, metadata, recorded_at"

// benchFloor times the floor of a replay: the log read whole by one
// goroutine through the SQLite driver's own rows (database/sql's driver
// interface, below Scan), the six columns the read models use, each value as
// the driver hands it out and touched, nothing applied. The connection maps
// the whole file, as carecost's page readers do (no system call a page). It
// returns the time and the number of events read.
func benchFloor(ctx context.Context, path string) (time.Duration, int, error) {
	dsn := fmt.Sprintf("%s?mode=ro&_pragma=query_only(1)&_pragma=cache_size(-16000)&_pragma=mmap_size(%d)", sqlite.FileURI(path), int64(1)<<40)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	var n, size int
	start := time.Now()
	err = conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("the SQLite driver's connection does not query")
		}
		rows, err := q.QueryContext(ctx, "SELECT "+floorColumns+" FROM events ORDER BY position", nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, 6)
		for {
			if err := rows.Next(dest); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			n++
			for _, v := range dest {
				switch v := v.(type) {
				case []byte:
					size += len(v)
				case string:
					size += len(v)
				}
			}
		}
	})
	took := time.Since(start)
	if err == nil && n > 0 && size == 0 {
		err = errors.New("the floor read no bytes")
	}
	return took, n, err
}
