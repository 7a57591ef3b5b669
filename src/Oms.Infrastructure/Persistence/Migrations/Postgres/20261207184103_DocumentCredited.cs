using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DocumentCredited : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "credited",
                table: "documents",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // What the credit notes issued so far gave back, for the invoices they correct.
            migrationBuilder.Sql(
                "UPDATE documents SET credited = (SELECT COALESCE(SUM(c.total), 0) FROM documents AS c " +
                "WHERE c.corrects_id = documents.id AND c.kind = 'CreditNote') WHERE kind = 'Invoice'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "credited",
                table: "documents");
        }
    }
}
