using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Documents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_order_feedback_token",
                table: "order_feedback");

            migrationBuilder.AddColumn<string>(
                name: "customer_vat_id",
                table: "orders",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "document_counters",
                columns: table => new
                {
                    series = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    last = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_document_counters", x => new { x.series, x.year });
                });

            migrationBuilder.CreateTable(
                name: "document_requests",
                columns: table => new
                {
                    position = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    subject_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    requested_at = table.Column<long>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_document_requests", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "documents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    number = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    series = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    year = table.Column<int>(type: "INTEGER", nullable: true),
                    sequence = table.Column<long>(type: "INTEGER", nullable: true),
                    order_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    customer_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    source_key = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    corrects_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    locale = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    total = table.Column<long>(type: "INTEGER", nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    issued_at = table.Column<long>(type: "INTEGER", nullable: true),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    voided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    void_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    customer_viewed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_documents", x => x.id);
                    table.ForeignKey(
                        name: "fk_documents_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "signing_keys",
                columns: table => new
                {
                    purpose = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    key = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signing_keys", x => x.purpose);
                });

            migrationBuilder.CreateTable(
                name: "document_activity",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    document_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    actor_kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    address = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_document_activity", x => x.id);
                    table.ForeignKey(
                        name: "fk_document_activity_documents_document_id",
                        column: x => x.document_id,
                        principalTable: "documents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_document_activity_document_id_id",
                table: "document_activity",
                columns: new[] { "document_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_document_requests_due_at",
                table: "document_requests",
                column: "due_at");

            migrationBuilder.CreateIndex(
                name: "ix_documents_number",
                table: "documents",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_documents_order_id",
                table: "documents",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_documents_source_key",
                table: "documents",
                column: "source_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "document_activity");

            migrationBuilder.DropTable(
                name: "document_counters");

            migrationBuilder.DropTable(
                name: "document_requests");

            migrationBuilder.DropTable(
                name: "signing_keys");

            migrationBuilder.DropTable(
                name: "documents");

            migrationBuilder.DropColumn(
                name: "customer_vat_id",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_order_feedback_token",
                table: "order_feedback",
                column: "token",
                unique: true);
        }
    }
}
