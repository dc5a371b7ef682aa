package projections

import (
	"context"
	"database/sql"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
)

const poisonSchema = `CREATE TABLE IF NOT EXISTS poisoned (id INTEGER PRIMARY KEY, projection TEXT NOT NULL,
	first_position TEXT NOT NULL, last_position TEXT NOT NULL, reason TEXT NOT NULL, batch BLOB NOT NULL, at INTEGER NOT NULL)`

// poisonPublisher keeps batches a projection could not apply in the
// read-model database, logs them and counts them.
type poisonPublisher struct {
	r *Runner
}

// Publish implements message.Publisher.
func (p *poisonPublisher) Publish(_ string, msgs ...*message.Message) error {
	for _, m := range msgs {
		name := m.Metadata.Get(middleware.PoisonedHandlerKey)
		reason := m.Metadata.Get(middleware.ReasonForPoisonedKey)
		first, last := m.Metadata.Get("first_position"), m.Metadata.Get("last_position")
		err := p.r.db.write(context.Background(), func(tx *sql.Tx) error {
			if _, err := tx.Exec(poisonSchema); err != nil {
				return err
			}
			_, err := tx.Exec(`INSERT INTO poisoned (projection, first_position, last_position, reason, batch, at) VALUES (?, ?, ?, ?, ?, ?)`,
				name, first, last, reason, []byte(m.Payload), time.Now().UnixNano())
			return err
		})
		if err != nil {
			return err
		}
		p.r.log.Error("projection skipped a batch it could not apply; run carecost rebuild after fixing the cause",
			"projection", name, "first_position", first, "last_position", last, "reason", firstLine(reason))
		p.r.m.poisoned.WithLabelValues(name).Inc()
	}
	return nil
}

// Close implements message.Publisher.
func (p *poisonPublisher) Close() error { return nil }

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
