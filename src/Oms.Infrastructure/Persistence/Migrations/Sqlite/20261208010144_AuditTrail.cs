using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor_kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    actor_name = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    operation = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    client_address = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    action = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    resource_type = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    resource_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    changes = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_resource_type_resource_id_id",
                table: "audit_events",
                columns: new[] { "resource_type", "resource_id", "id" });

            // Append-only: no update, and no delete of events younger than 30 days (at is UTC ticks here).
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                WHEN OLD.at > CAST((julianday('now', '-30 days') - 1721425.5) * 864000000000 AS INTEGER)
                BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_events");
        }
    }
}
