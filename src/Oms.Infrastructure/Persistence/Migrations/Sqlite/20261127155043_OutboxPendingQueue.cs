using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutboxPendingQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_pending",
                columns: table => new
                {
                    position = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    message_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    aggregate_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_pending", x => x.position);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_aggregate_id",
                table: "outbox_pending",
                column: "aggregate_id");

            // Events not yet fanned out stay queued, in the order they were written.
            migrationBuilder.Sql(
                "INSERT INTO outbox_pending (message_id, aggregate_id) " +
                "SELECT id, aggregate_id FROM outbox_messages WHERE dispatched_at IS NULL ORDER BY sequence;");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_aggregate_id_sequence",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_undispatched",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "dispatched_at",
                table: "outbox_messages");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "dispatched_at",
                table: "outbox_messages",
                type: "INTEGER",
                nullable: true);

            // Every event no longer queued was fanned out.
            migrationBuilder.Sql(
                "UPDATE outbox_messages SET dispatched_at = 0 " +
                "WHERE NOT EXISTS (SELECT 1 FROM outbox_pending p WHERE p.message_id = outbox_messages.id);");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_aggregate_id_sequence",
                table: "outbox_messages",
                columns: new[] { "aggregate_id", "sequence" },
                filter: "dispatched_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_undispatched",
                table: "outbox_messages",
                column: "sequence",
                filter: "dispatched_at IS NULL");

            migrationBuilder.DropTable(
                name: "outbox_pending");
        }
    }
}
