using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProjectionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_report_lines_sku_day",
                table: "report_lines",
                columns: new[] { "sku", "day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_report_lines_sku_day",
                table: "report_lines");
        }
    }
}
