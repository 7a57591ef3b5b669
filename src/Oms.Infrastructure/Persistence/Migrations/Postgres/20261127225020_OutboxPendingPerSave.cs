using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// One pending entry per save instead of one per event: the events' ids and their aggregates as arrays. Events
    /// still queued are regrouped by save (an event and the one that carries its data stay together), in queue order.
    /// </summary>
    public partial class OutboxPendingPerSave : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_pending_aggregate_id",
                table: "outbox_pending");

            migrationBuilder.AddColumn<Guid[]>(
                name: "message_ids",
                table: "outbox_pending",
                type: "uuid[]",
                nullable: true);

            migrationBuilder.AddColumn<Guid[]>(
                name: "aggregate_ids",
                table: "outbox_pending",
                type: "uuid[]",
                nullable: true);

            migrationBuilder.Sql(
                "INSERT INTO outbox_pending (message_id, aggregate_id, message_ids, aggregate_ids) " +
                "SELECT (array_agg(m.id))[1], (array_agg(m.aggregate_id))[1], array_agg(m.id ORDER BY m.sequence), array_agg(DISTINCT m.aggregate_id) " +
                "FROM outbox_pending p JOIN outbox_messages m ON m.id = p.message_id WHERE p.message_ids IS NULL " +
                "GROUP BY coalesce(m.payload_from, m.id) ORDER BY min(p.position);");
            migrationBuilder.Sql("DELETE FROM outbox_pending WHERE message_ids IS NULL;");

            migrationBuilder.DropColumn(
                name: "message_id",
                table: "outbox_pending");

            migrationBuilder.DropColumn(
                name: "aggregate_id",
                table: "outbox_pending");

            migrationBuilder.AlterColumn<Guid[]>(
                name: "message_ids",
                table: "outbox_pending",
                type: "uuid[]",
                nullable: false,
                oldClrType: typeof(Guid[]),
                oldType: "uuid[]",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid[]>(
                name: "aggregate_ids",
                table: "outbox_pending",
                type: "uuid[]",
                nullable: false,
                oldClrType: typeof(Guid[]),
                oldType: "uuid[]",
                oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "message_id",
                table: "outbox_pending",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "aggregate_id",
                table: "outbox_pending",
                type: "uuid",
                nullable: true);

            // One entry per event again, in queue order and, within a save, in the events' order.
            migrationBuilder.Sql(
                "INSERT INTO outbox_pending (message_id, aggregate_id, message_ids, aggregate_ids) " +
                "SELECT m.id, m.aggregate_id, '{}', '{}' FROM outbox_pending p CROSS JOIN LATERAL unnest(p.message_ids) AS u(id) " +
                "JOIN outbox_messages m ON m.id = u.id WHERE p.message_id IS NULL ORDER BY p.position, m.sequence;");
            migrationBuilder.Sql("DELETE FROM outbox_pending WHERE message_id IS NULL;");

            migrationBuilder.DropColumn(
                name: "message_ids",
                table: "outbox_pending");

            migrationBuilder.DropColumn(
                name: "aggregate_ids",
                table: "outbox_pending");

            migrationBuilder.AlterColumn<Guid>(
                name: "message_id",
                table: "outbox_pending",
                type: "uuid",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "aggregate_id",
                table: "outbox_pending",
                type: "uuid",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending_aggregate_id",
                table: "outbox_pending",
                column: "aggregate_id");
        }
    }
}
