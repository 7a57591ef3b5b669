using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// One pending entry per save instead of one per event: the events' ids and their aggregates as JSON arrays (how
    /// EF stores a primitive collection here). Events still queued are regrouped by save (an event and the one that
    /// carries its data stay together), in queue order.
    /// </summary>
    public partial class OutboxPendingPerSave : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_pending_aggregate_id",
                table: "outbox_pending");

            migrationBuilder.RenameColumn(
                name: "message_id",
                table: "outbox_pending",
                newName: "message_ids");

            migrationBuilder.RenameColumn(
                name: "aggregate_id",
                table: "outbox_pending",
                newName: "aggregate_ids");

            migrationBuilder.Sql(
                "INSERT INTO outbox_pending (message_ids, aggregate_ids) " +
                "SELECT json_group_array(m.id), json_group_array(DISTINCT m.aggregate_id) " +
                "FROM outbox_pending p JOIN outbox_messages m ON m.id = p.message_ids WHERE p.message_ids NOT LIKE '[%' " +
                "GROUP BY coalesce(m.payload_from, m.id) ORDER BY min(p.position);");
            migrationBuilder.Sql("DELETE FROM outbox_pending WHERE message_ids NOT LIKE '[%';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                "INSERT INTO outbox_pending (message_ids, aggregate_ids) " +
                "SELECT m.id, m.aggregate_id FROM outbox_pending p, json_each(p.message_ids) AS j " +
                "JOIN outbox_messages m ON m.id = j.value WHERE p.message_ids LIKE '[%' ORDER BY p.position, m.sequence;");
            migrationBuilder.Sql("DELETE FROM outbox_pending WHERE message_ids LIKE '[%';");

            migrationBuilder.RenameColumn(
                name: "message_ids",
                table: "outbox_pending",
                newName: "message_id");

            migrationBuilder.RenameColumn(
                name: "aggregate_ids",
                table: "outbox_pending",
                newName: "aggregate_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_aggregate_id",
                table: "outbox_pending",
                column: "aggregate_id");
        }
    }
}
