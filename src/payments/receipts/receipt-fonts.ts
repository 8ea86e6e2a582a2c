/**
 * The fonts a receipt embeds: Noto Sans regular and bold, plain TTF files of Google Fonts' release
 * shipped by the `@expo-google-fonts/noto-sans` package (read from `node_modules`, never fetched).
 * Noto covers every Vietnamese letter; pdfkit embeds only the glyphs a document uses.
 */
export const RECEIPT_FONTS = {
  regular: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
} as const;
