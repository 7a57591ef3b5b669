using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WebhookPendingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_status_next_attempt_at",
                table: "webhook_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_subscription_id_ordering_key_message_sequence",
                table: "webhook_deliveries");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_next_attempt_at_message_sequence",
                table: "webhook_deliveries",
                columns: new[] { "next_attempt_at", "message_sequence" },
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_subscription_id_ordering_key_message_sequence",
                table: "webhook_deliveries",
                columns: new[] { "subscription_id", "ordering_key", "message_sequence" },
                filter: "status = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_next_attempt_at_message_sequence",
                table: "webhook_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_subscription_id_ordering_key_message_sequence",
                table: "webhook_deliveries");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_status_next_attempt_at",
                table: "webhook_deliveries",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_subscription_id_ordering_key_message_sequence",
                table: "webhook_deliveries",
                columns: new[] { "subscription_id", "ordering_key", "message_sequence" });
        }
    }
}
