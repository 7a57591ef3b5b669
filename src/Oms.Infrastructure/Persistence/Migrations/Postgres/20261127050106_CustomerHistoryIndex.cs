using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CustomerHistoryIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_aggregate_id_sequence",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_dispatched_at_sequence",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_orders_customer_email",
                table: "orders");

            // A customer's latest orders for the risk rules (WHERE customer_email = … ORDER BY created_at DESC LIMIT 50):
            // EF cannot declare an index across the owned Customer and its Order, so it is created here.
            migrationBuilder.Sql("CREATE INDEX ix_orders_customer_email_created_at ON orders (customer_email, created_at);");

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_orders_customer_email_created_at;");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_aggregate_id_sequence",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_undispatched",
                table: "outbox_messages");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_aggregate_id_sequence",
                table: "outbox_messages",
                columns: new[] { "aggregate_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_dispatched_at_sequence",
                table: "outbox_messages",
                columns: new[] { "dispatched_at", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_customer_email",
                table: "orders",
                column: "customer_email");
        }
    }
}
