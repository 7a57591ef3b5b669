using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutboxSharedPayload : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "payload",
                table: "outbox_messages",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<Guid>(
                name: "payload_from",
                table: "outbox_messages",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Every event gets its own copy of the data it shared.
            migrationBuilder.Sql(
                "UPDATE outbox_messages SET payload = (SELECT c.payload FROM outbox_messages c WHERE c.id = outbox_messages.payload_from) " +
                "WHERE payload IS NULL;");

            migrationBuilder.DropColumn(
                name: "payload_from",
                table: "outbox_messages");

            migrationBuilder.AlterColumn<string>(
                name: "payload",
                table: "outbox_messages",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);
        }
    }
}
