using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OrderPromises : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "promised_delivery_date",
                table: "orders",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ship_by",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "promised_delivery_date",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "ship_by",
                table: "orders");
        }
    }
}
