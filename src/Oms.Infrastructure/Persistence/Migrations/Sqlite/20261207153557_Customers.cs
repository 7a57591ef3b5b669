using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Customers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The risk rules read a customer's orders by customer_id now (ix_orders_customer_id_created_at below).
            migrationBuilder.Sql("DROP INDEX ix_orders_customer_email_created_at;");
            migrationBuilder.AddColumn<Guid>(
                name: "customer_id",
                table: "orders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "customers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    phone = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    locale = table.Column<string>(type: "TEXT", maxLength: 35, nullable: true),
                    notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    consent_granted = table.Column<bool>(type: "INTEGER", nullable: true),
                    consent_source = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    consent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    order_count = table.Column<int>(type: "INTEGER", nullable: false),
                    first_order_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_order_at = table.Column<long>(type: "INTEGER", nullable: true),
                    orders_returned = table.Column<int>(type: "INTEGER", nullable: false),
                    units_returned = table.Column<int>(type: "INTEGER", nullable: false),
                    lifetime_value = table.Column<string>(type: "TEXT", nullable: false),
                    external_ids = table.Column<string>(type: "TEXT", nullable: false),
                    follow_up = table.Column<bool>(type: "INTEGER", nullable: false),
                    merged_into = table.Column<Guid>(type: "TEXT", nullable: true),
                    erased_at = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "order_feedback",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    rating = table.Column<int>(type: "INTEGER", nullable: true),
                    comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    received_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_feedback", x => x.order_id);
                    table.ForeignKey(
                        name: "fk_order_feedback_orders_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "customer_contacts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    customer_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_contacts", x => x.id);
                    table.ForeignKey(
                        name: "fk_customer_contacts_customers_customer_id",
                        column: x => x.customer_id,
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_customer_id_created_at",
                table: "orders",
                columns: new[] { "customer_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_customer_contacts_customer_id_at",
                table: "customer_contacts",
                columns: new[] { "customer_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_email",
                table: "customers",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_order_feedback_token",
                table: "order_feedback",
                column: "token",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_orders_customers_customer_id",
                table: "orders",
                column: "customer_id",
                principalTable: "customers",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_orders_customers_customer_id",
                table: "orders");

            migrationBuilder.DropTable(
                name: "customer_contacts");

            migrationBuilder.DropTable(
                name: "order_feedback");

            migrationBuilder.DropTable(
                name: "customers");

            migrationBuilder.DropIndex(
                name: "ix_orders_customer_id_created_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "customer_id",
                table: "orders");
            migrationBuilder.Sql("CREATE INDEX ix_orders_customer_email_created_at ON orders (customer_email, created_at);");
        }
    }
}
